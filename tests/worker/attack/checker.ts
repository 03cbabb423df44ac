// The isolation attack. Every operation of the OpenAPI document, by every member of each attacking
// tenant, aimed at the victim tenant: its ids in the path, in id-holding query parameters and body
// fields, forged x-tenant-* headers, its tenant host, tokens naming it held by people who left or
// never belonged, its Idempotency-Key; soft-deleted ids; and, inside each attacking tenant, each
// role's canonical request for every operation the permission matrix refuses it. Judged by:
// status (never 5xx; another tenant's object 404, like an id nobody owns; refusals exactly as the
// matrix says), response bodies (none shows another tenant's ids or marker strings) and table
// digests (refusals change nothing; nothing in the victim changes at all; no attacking tenant's
// rows come to hold another tenant's ids).
import { MATRIX_ROLES, PERMISSION_MATRIX, type Role } from "../../support/permission-matrix.ts";
import { call } from "../../support/http.ts";
import type { Actor, World, WorldTenant } from "../../support/world.ts";
import { collectSecrets, findLeaks, type TenantSecrets } from "./leaks.ts";
import { operations, sampler, type IdSlot, type OpenApiDocument, type Operation } from "./openapi.ts";
import { canonicalShape, ownTarget, prng, requestText, resolveBody, toReq, type Random, type Req, type Res } from "./requests.ts";
import { Runner, type Violation } from "./runner.ts";
import { changedTables, digest, rowsText, tenantTables } from "./tables.ts";

type Variant = "canonical" | "soft-deleted" | "path" | "query" | "body" | "headers" | "host" | "stale" | "idempotency";

interface Template {
  phase: "refused" | "cross";
  variant: Variant;
  tenant: WorldTenant;
  actor: Actor;
  op: Operation;
  slot?: IdSlot;
}

interface Expect {
  status?: number;
  code?: string;
  /** 404, or a 403 that an id nobody owns gets too. */
  refusal?: boolean;
  /** The same status as the same request with an id nobody owns (no oracle). */
  baseline?: string;
  /** Anything but a success (the victim's Idempotency-Key may clash with the attacker's own use: 409). */
  failure?: boolean;
}

interface Job {
  template: Template;
  req: Req;
  expect: Expect;
  baselineReq?: Req;
}

export interface AttackReport {
  seed: number;
  requests: number;
  seconds: number;
  violations: Violation[];
  byVariant: Record<string, number>;
}

export interface AttackOptions {
  seed: number;
  requests: number;
  concurrency?: number;
  /** Share of the budget spent on refusals inside the attacking tenants. */
  refusedShare?: number;
  /** Attack only these operations (the proof test narrows the run). */
  only?: (op: Operation) => boolean;
  /** This run's share of the sweep: every `count`-th template from `index` (see isolation.ts). */
  shard?: { index: number; count: number };
}

const roleOf = (actor: Actor): Role => (actor.role === "customer" ? "customer" : (actor.role ?? "employee"));
const forged = (v: WorldTenant) => ({ "x-tenant-id": v.id, "x-tenant-slug": v.slug, "X-Tenant-Host": v.host });

/** Every operation must be in the matrix, and the matrix must name only operations that exist. */
export function coverageProblems(ops: Operation[]): string[] {
  const keys = new Set(ops.map((o) => o.key));
  return [
    ...ops.filter((o) => !PERMISSION_MATRIX[o.key]).map((o) => `${o.key} has no row in tests/support/permission-matrix.ts`),
    ...Object.keys(PERMISSION_MATRIX).filter((k) => !keys.has(k)).map((k) => `${k} is in the matrix but not in the OpenAPI document`),
  ];
}

/** The document as the Worker serves it, and its operations. */
export async function loadApi(): Promise<{ doc: OpenApiDocument; ops: Operation[] }> {
  const doc = (await (await call("/openapi.json")).json()) as OpenApiDocument;
  return { doc, ops: operations(doc, await tenantTables()) };
}

function templates(world: World, ops: Operation[]): Template[] {
  const out: Template[] = [];
  for (const tenant of world.attackers) {
    for (const op of ops) {
      const entry = PERMISSION_MATRIX[op.key]!;
      const pathSlot = op.slots.find((s) => s.in === "path");
      for (const role of MATRIX_ROLES) {
        const actor = tenant.canonical[role];
        if (entry.expect[role] === 403 || entry.expect[role] === 404) out.push({ phase: "refused", variant: "canonical", tenant, actor, op });
        if (pathSlot && pathSlot.table in tenant.softDeleted) out.push({ phase: "refused", variant: "soft-deleted", tenant, actor, op, slot: pathSlot });
      }
      for (const actor of Object.values(tenant.actors)) {
        if (pathSlot) out.push({ phase: "cross", variant: "path", tenant, actor, op });
        for (const slot of op.slots.filter((s) => s.in !== "path")) out.push({ phase: "cross", variant: slot.in as Variant, tenant, actor, op, slot });
        out.push({ phase: "cross", variant: "headers", tenant, actor, op }, { phase: "cross", variant: "host", tenant, actor, op });
        if (op.method === "POST") out.push({ phase: "cross", variant: "idempotency", tenant, actor, op });
      }
      for (const actor of [...tenant.stale, ...world.victim.stale.filter((a) => a.sees.includes(tenant.id))]) {
        out.push({ phase: "cross", variant: "stale", tenant, actor, op });
      }
    }
  }
  return out;
}

interface Context {
  world: World;
  secrets: Map<string, TenantSecrets>;
  build: ReturnType<typeof sampler>;
  rand: Random;
  /** Per stale actor, tokens never presented yet: the database refuses each (not a cached revocation). */
  fresh: Map<Actor, string[]>;
}

function instantiate(t: Template, { world, secrets, build, rand, fresh }: Context): Job {
  const { op, tenant, actor, variant } = t;
  const victim = secrets.get(world.victim.id)!;
  const role = roleOf(actor);
  const entry = PERMISSION_MATRIX[op.key]!;
  const foreign = (slot: IdSlot) => {
    const typed = (victim.pools[slot.table] ?? []).filter((id) => !actor.knows.includes(id));
    return rand.pick(typed.length > 0 && !rand.chance(0.2) ? typed : victim.all.filter((id) => !actor.knows.includes(id)));
  };
  // Attacks keep the matrix's fixed values but not its fresh names: nothing new is signed up.
  // ($freshEmail stays: a new address per invitation, so concurrent invites never replace each
  // other and a status is the request's own.)
  const body = resolveBody(Object.fromEntries(Object.entries(entry.body ?? {}).filter(([, v]) => v !== "$fresh")), tenant, rand);
  if (variant === "canonical") {
    const shape = canonicalShape(build, op, entry, tenant, role, rand);
    const headers: Record<string, string> = rand.chance(0.5) ? forged(world.victim) : {};
    if (op.method === "POST" && rand.chance(0.3)) headers["idempotency-key"] = rand.uuid();
    return { template: t, req: toReq(op, shape, actor, { headers, ...(rand.chance(0.5) ? { host: tenant.host } : {}) }), expect: { status: entry.expect[role] } };
  }
  // The slots this variant fills with ids of the victim (or, for soft-deleted, the tenant's own
  // deleted rows); the other path ids are the role's own canonical objects.
  const aimed = (s: IdSlot) => (t.slot ? s === t.slot : s.in === "path");
  const own = (s: IdSlot) => (s.in === "path" ? ownTarget(tenant, role, s) : undefined);
  const inStaleTenant = variant === "stale" && actor.tenantId === tenant.id;
  const pick = (s: IdSlot) =>
    variant === "soft-deleted" ? tenant.softDeleted[s.table as keyof WorldTenant["softDeleted"]] : inStaleTenant ? own(s) : foreign(s);
  const shape = build(op, (s) => (aimed(s) ? pick(s) : own(s)), body);
  const extra: { headers?: Record<string, string>; host?: string } = {};
  if (variant === "headers") extra.headers = forged(world.victim);
  if (variant === "host") extra.host = world.victim.host;
  if (variant === "idempotency") extra.headers = { "idempotency-key": world.victim.idempotencyKey };
  const unused = fresh.get(actor);
  const req = toReq(op, shape, actor, { ...extra, ...(variant === "stale" && unused?.length && rand.chance(0.3) ? { token: unused.pop()! } : {}) });
  const hasAimed = op.slots.some(aimed) && !inStaleTenant;
  const expect: Expect = {};
  if (variant === "host" && op.tenantScoped) Object.assign(expect, { status: 403, code: "tenant_mismatch" });
  else if (variant === "stale" && op.tenantScoped) Object.assign(expect, { status: 403, code: "membership_inactive" });
  else if (hasAimed && variant === "idempotency") expect.failure = true;
  else if (hasAimed && variant !== "stale" && variant !== "host") {
    const kind = t.slot && t.slot.in !== "path" ? `${t.slot.in}:${t.slot.name}` : "path";
    expect.baseline = `${actor.name}@${tenant.slug} ${op.key} ${kind}`;
    expect.refusal = kind === "path";
    return { template: t, req, expect, baselineReq: toReq(op, build(op, (s) => (aimed(s) ? rand.uuid() : own(s)), body), actor) };
  }
  return { template: t, req, expect };
}

function judge(job: Job, res: Res, baseline: number | undefined, secrets: Map<string, TenantSecrets>): string[] {
  const { expect } = job;
  const problems: string[] = [];
  if (res.status === 0) problems.push("no response");
  // 503 unavailable is the documented answer when the rate limiter cannot answer in time (named
  // limits fail closed): no handler ran. Counted by the caller; too many fail the run.
  if (res.status >= 500 && !(res.status === 503 && res.code === "unavailable")) problems.push("server error");
  if (res.status === 429) problems.push("rate limited (the harness's budget, not a finding)");
  const leaks = findLeaks(secrets, job.req.actor, res.text, requestText(job.req));
  if (leaks.length > 0) problems.push(`response shows ${leaks.slice(0, 3).join(", ")}`);
  if (expect.status !== undefined && res.status !== expect.status) problems.push(`expected ${expect.status}`);
  if (expect.code && res.code !== expect.code) problems.push(`expected code ${expect.code}, got ${res.code}`);
  if (expect.failure && res.status < 400) problems.push("expected a refusal (the path names another tenant's object)");
  // A route refusing the caller whatever the id (403 for a missing permission; 401 where a user
  // token is no credential at all, e.g. POST /hooks/workflows/{id}) answers another tenant's id
  // exactly like an id nobody owns (the baseline): no oracle, nothing reached.
  if (expect.refusal && res.status !== 404 && !((res.status === 403 || res.status === 401) && baseline === res.status)) problems.push("expected 404 (another tenant's object)");
  if (baseline !== undefined && res.status !== baseline) problems.push(`oracle: an id nobody owns gets ${baseline}`);
  return problems;
}

export async function runAttack(world: World, options: AttackOptions): Promise<AttackReport> {
  const shard = options.shard ?? { index: 0, count: 1 };
  const rand = prng(options.seed + shard.index);
  const api = await loadApi();
  const { doc } = api;
  const ops = api.ops.filter((o) => !options.only || options.only(o));
  const missing = coverageProblems(ops).filter((p) => !options.only || !p.includes("not in the OpenAPI"));
  if (missing.length > 0) throw new Error(`the suite cannot attack every operation:\n${missing.join("\n")}`);
  const build = sampler(doc);
  const secrets = await collectSecrets(world);
  const all = templates(world, ops);
  const refusedT = all.filter((t) => t.phase === "refused");
  const crossT = all.filter((t) => t.phase === "cross");
  const mine = (_: Template, i: number) => i % shard.count === shard.index;
  const stale = [...new Set(all.filter((t) => t.variant === "stale").map((t) => t.actor))];
  const fresh = new Map(await Promise.all(stale.map(async (a) => [a, await Promise.all(Array.from({ length: 25 }, () => a.mint()))] as const)));
  const ctx: Context = { world, secrets, build, rand, fresh };
  const sweep = (list: Template[]) => list.filter(mine).map((t) => instantiate(t, ctx));
  const fill = (list: Template[], n: number) => Array.from({ length: Math.max(0, n) }, () => instantiate(rand.pick(list), ctx));
  const refused = [...sweep(refusedT)];
  refused.push(...fill(refusedT, Math.round(options.requests * (options.refusedShare ?? 0.15)) - refused.length));
  const cross = sweep(crossT);
  const baselineReqs = new Map<string, Req>();
  for (const j of [...refused, ...cross]) if (j.expect.baseline && j.baselineReq && !baselineReqs.has(j.expect.baseline)) baselineReqs.set(j.expect.baseline, j.baselineReq);
  cross.push(...fill(crossT, options.requests - refused.length - cross.length - baselineReqs.size));

  const runner = new Runner(options.concurrency ?? 16);
  // Ids nobody owns, first: what each request aimed at the victim is compared with. (A random
  // pick from another shard's share gets its own when it first needs it.)
  const baselines = new Map<string, Promise<number>>();
  const baseline = (key: string, req: Req) => {
    let status = baselines.get(key);
    if (!status) {
      status = runner.send("baseline", req).then((res) => {
        if (res.status >= 500 || res.status === 0) runner.record(res.status ? "server error" : "no response", "baseline", req, res);
        return res.status;
      });
      baselines.set(key, status);
    }
    return status;
  };
  await runner.run([...baselineReqs], async ([key, req]) => void (await baseline(key, req)));
  const run = (jobs: Job[]) =>
    runner.run(jobs, async (job) => {
      const res = await runner.send(job.template.variant, job.req);
      const unjudged = res.status === 503 && res.code === "unavailable";
      if (unjudged) runner.unavailable.push(job.req);
      const expected = job.expect.baseline && job.baselineReq && !unjudged ? await baseline(job.expect.baseline, job.baselineReq) : undefined;
      const problems = judge(unjudged ? { ...job, expect: {} } : job, res, expected, secrets);
      if (problems.length > 0) runner.record(problems.join("; "), `${job.template.phase}/${job.template.variant}`, job.req, res);
    });

  const victimBefore = await digest(world.victim.id);
  const attackersBefore = await Promise.all(world.attackers.map((t) => digest(t.id)));
  await run(refused);
  for (const [i, t] of world.attackers.entries()) {
    const changed = changedTables(attackersBefore[i]!, await digest(t.id));
    if (changed.length > 0) runner.record(`refused requests changed ${t.slug}: ${changed.join(", ")}`, "refused", undefined);
  }
  await run(cross);
  // Requests the limiter turned away unjudged (an overloaded machine): a few are tolerated.
  if (runner.unavailable.length > Math.max(5, runner.requests / 100)) {
    runner.record(`${runner.unavailable.length} requests answered 503 unavailable (the rate limiter timed out): too many to call the run complete`, "cross", runner.unavailable[0]);
  }
  const victimChanged = changedTables(victimBefore, await digest(world.victim.id));
  if (victimChanged.length > 0) runner.record(`the victim ${world.victim.slug} changed: ${victimChanged.join(", ")}`, "cross", undefined);
  for (const t of world.attackers) {
    // The victim's Idempotency-Key was sent by the attackers themselves: stored with their own
    // requests, it is theirs.
    const reader = { ...t.canonical.owner, sees: [t.id], knows: [world.victim.idempotencyKey] };
    for (const row of await rowsText(t.id)) {
      const leaks = findLeaks(secrets, reader, row.text, "");
      if (leaks.length > 0) runner.record(`${t.slug}'s ${row.table} holds ${leaks.join(", ")}`, "cross", undefined);
    }
  }
  return { seed: options.seed, requests: runner.requests, seconds: runner.seconds, violations: runner.violations, byVariant: runner.byVariant };
}
