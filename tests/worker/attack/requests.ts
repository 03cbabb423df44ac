// Requests for the attack suite: a seeded PRNG (every random choice comes from it, so a failing
// run is replayed with its seed), the canonical request of a role for an operation (what the
// permission matrix is about), and sending a request through the Worker.
import type { CanonicalObject, MatrixEntry, Role } from "../../support/permission-matrix.ts";
import { call } from "../../support/http.ts";
import type { Actor, TargetTable, WorldTenant } from "../../support/world.ts";
import type { IdSlot, Operation, RequestShape, sampler } from "./openapi.ts";

/** mulberry32: small, fast and good enough to pick ids, roles and variants. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join("");
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    /** A version-4 UUID that no tenant owns. */
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
    word: () => hex(10),
  };
}
export type Random = ReturnType<typeof prng>;

export interface Req {
  method: string;
  url: string;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string>;
  host: string | undefined;
  token: string;
  actor: Actor;
}

export interface Res {
  status: number;
  code: string | undefined;
  text: string;
}

export const describeReq = (r: Req) => `${r.method} ${r.url}${r.host ? ` (host ${r.host})` : ""}${r.body ? ` ${JSON.stringify(r.body)}` : ""}`;

/** Everything the caller sent, for telling an echo from a disclosure. */
export const requestText = (r: Req) => `${r.host ?? ""} ${r.url} ${JSON.stringify(r.body ?? null)} ${JSON.stringify(r.headers)} ${r.actor.tenantId}`;

/**
 * Status 0: no response at all (the runtime gave up on the request); `text` says why. A 503
 * `unavailable` (the rate limiter did not answer in time, so a named limit failed closed) is
 * retried twice, as a client following Retry-After would, before it is returned.
 */
export async function send(r: Req): Promise<Res> {
  for (let attempt = 0; ; attempt++) {
    const res = await sendOnce(r);
    if (!(res.status === 503 && res.code === "unavailable") || attempt === 2) return res;
    await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
  }
}

async function sendOnce(r: Req): Promise<Res> {
  let res: Response;
  try {
    res = await call(r.url, { method: r.method, token: r.token, body: r.body, headers: r.headers, ...(r.host ? { host: r.host } : {}) });
  } catch (e) {
    return { status: 0, code: undefined, text: String(e) };
  }
  const text = await res.text();
  let code: string | undefined;
  if (res.headers.get("content-type") === "application/problem+json") {
    try {
      code = (JSON.parse(text) as { code?: string }).code;
    } catch {
      code = "(not JSON)";
    }
  }
  return { status: res.status, code, text };
}

export function toReq(op: Operation, shape: RequestShape, actor: Actor, extra: { headers?: Record<string, string>; host?: string; token?: string } = {}): Req {
  const query = shape.query.toString();
  return {
    method: op.method,
    url: query ? `${shape.path}?${query}` : shape.path,
    body: shape.body,
    headers: extra.headers ?? {},
    host: extra.host,
    token: extra.token ?? actor.token,
    actor,
  };
}

/** The object a role's canonical request addresses through this slot, in its own tenant. */
export function ownTarget(tenant: WorldTenant, role: Role, slot: IdSlot): string {
  if (slot.table === "tenants") return tenant.id;
  const target = tenant.targets[role][slot.table as TargetTable] as string | undefined;
  if (!target) throw new Error(`no canonical ${slot.table} object for ${slot.in} parameter "${slot.name}": add one to tests/support/world.ts`);
  return target;
}

/** `$tenant`, `$operations`, `$fresh`, `$freshEmail` and `$future` (a day ahead) in a matrix entry's body, for this tenant. */
export function resolveBody(body: Record<string, unknown> | undefined, tenant: WorldTenant, rand: Random): Record<string, unknown> {
  const values: Record<string, () => string> = {
    $tenant: () => tenant.id,
    $operations: () => tenant.seeded.departments.operations!,
    $fresh: () => `m-${rand.word()}`,
    $freshEmail: () => `m-${rand.word()}@${tenant.slug}.test`,
    $future: () => new Date(Date.now() + 24 * 3600_000).toISOString(),
  };
  return Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, typeof v === "string" && values[v] ? values[v]() : v]));
}

/** The canonical request of `role` for `op` in its own tenant, as the matrix describes it. */
export function canonicalShape(build: ReturnType<typeof sampler>, op: Operation, entry: MatrixEntry, tenant: WorldTenant, role: Role, rand: Random): RequestShape {
  const pathSlots = op.slots.filter((s) => s.in === "path");
  const on = pathSlots[0]?.table;
  if ((entry.on ?? null) !== ((on as CanonicalObject | undefined) ?? null)) {
    throw new Error(`${op.key}: the matrix says it addresses ${entry.on ?? "nothing"}, the OpenAPI document ${on ?? "nothing"}`);
  }
  return build(op, (slot) => (slot.in === "path" ? ownTarget(tenant, role, slot) : undefined), resolveBody(entry.body, tenant, rand));
}
