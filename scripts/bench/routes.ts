// The key routes the report covers, as request makers, and the tokens they carry.
//
// Sequential measurements run as Olivia, acme's owner (the tenant holding the 1,000-event
// calendar week and 1,000 tasks). Throughput spreads what it can over the seeded tenants' owners
// (every tenant has its own plan window, as in production, so limits never cap the load); the
// calendar and dashboard stay on acme, whose data they need, and every request as Olivia is
// counted so that her member share (half the enterprise plan's 6,000 per minute) is never
// reached: see Budget. Each sign-up claims its own client IP (198.18.0.0/15, RFC 2544), since
// the sign-up limit is per IP.
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { ACME, AUTH_AUDIENCE, AUTH_ISSUER, OLIVIA, PLAN } from "./config.ts";
import type { RequestSpec } from "./load.ts";
import type { ScimDirectory } from "./seed-scim.ts";
import { benchMemberId, benchTenantId } from "./seed-tenants.ts";

export interface Route {
  key: "me" | "settings" | "signup" | "tasks" | "calendar" | "dashboard" | "scimFilter" | "scimPage";
  label: string;
  /** As Olivia in acme. */
  make: () => RequestSpec;
  /** For throughput: over many tenants, or undefined when the route needs acme's data. */
  spread?: () => RequestSpec;
  /** What a response holds, for the report (and proof that it holds it). */
  describe?: (body: unknown, bytes: number) => string;
}

export interface Tokens {
  olivia: string;
  /** Owners of seeded tenants 1…n. */
  owners: string[];
  /** acme's SCIM directory and tokens (seed-scim.ts), when seeded. */
  scim?: ScimDirectory;
}

export async function mintTokens(secret: string, tenants: number): Promise<Tokens> {
  const key = new TextEncoder().encode(secret);
  const sign = (sub: string, email: string, tenantId: string) =>
    new SignJWT({ email, role: "authenticated", tenant_id: tenantId, tenant_plan: PLAN })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(sub)
      .setIssuer(AUTH_ISSUER)
      .setAudience(AUTH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("14m") // the Worker refuses tokens older than 15 minutes
      .sign(key);
  const owners = await Promise.all(
    Array.from({ length: Math.min(tenants, 200) }, (_, i) => sign(benchMemberId(i + 1, 1), `m1.t${i + 1}@bench.test`, benchTenantId(i + 1))),
  );
  return { olivia: await sign(OLIVIA.id, OLIVIA.email, ACME), owners };
}

/** Request times as Olivia, to keep her inside her member share of acme's plan window. */
export class Budget {
  readonly sent: number[] = [];
  /** At most this many in any two minutes (the sliding window may count the previous minute too). */
  readonly perTwoMinutes: number;
  constructor(perTwoMinutes: number) {
    this.perTwoMinutes = perTwoMinutes;
  }
  counted(make: () => RequestSpec): () => RequestSpec {
    return () => {
      this.sent.push(performance.now());
      return make();
    };
  }
  /** What a run may still send, shared evenly over `runsLeft` runs. */
  allowance(runsLeft: number): number {
    const since = performance.now() - 120_000;
    const recent = this.sent.filter((at) => at > since).length;
    return Math.max(0, Math.floor((this.perTwoMinutes - recent) / Math.max(1, runsLeft)));
  }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

export function keyRoutes(base: string, tokens: Tokens, week: { from: Date; to: Date }, budget: Budget): Route[] {
  let next = 0;
  const owner = () => tokens.owners[next++ % tokens.owners.length]!;
  let ip = 0;
  const benchIp = () => {
    const n = ip++ % 131_072;
    return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };
  const get = (path: string) => (token: string) => (): RequestSpec => ({ method: "GET", url: `${base}${path}`, headers: { authorization: `Bearer ${token}` }, expect: 200 });
  const patchSettings = (token: string) => (): RequestSpec => ({
    method: "PATCH",
    url: `${base}/v1/me/settings`,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ timezone: "Europe/Paris" }),
    expect: 200,
  });
  const signup = (token: () => string) => (): RequestSpec => ({
    method: "POST",
    url: `${base}/v1/tenants`,
    headers: { authorization: `Bearer ${token()}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID(), "cf-connecting-ip": benchIp() },
    body: JSON.stringify({ slug: `bench-${randomBytes(6).toString("hex")}`, name: "Bench" }),
    expect: 201,
  });
  const spread = (make: (token: string) => () => RequestSpec) => () => make(owner())();
  const range = new URLSearchParams({ from: week.from.toISOString(), to: week.to.toISOString() });
  const routes: Route[] = [
    { key: "me", label: "GET /v1/me", make: get("/v1/me")(tokens.olivia), spread: spread(get("/v1/me")) },
    { key: "settings", label: "PATCH /v1/me/settings", make: patchSettings(tokens.olivia), spread: spread(patchSettings) },
    { key: "signup", label: "POST /v1/tenants (Idempotency-Key)", make: signup(() => tokens.olivia), spread: signup(owner) },
    {
      key: "tasks",
      label: "GET /v1/tasks (first page of 50)",
      make: get("/v1/tasks")(tokens.olivia),
      spread: spread(get("/v1/tasks")),
      describe: (body, bytes) => {
        const page = body as { data: unknown[]; nextCursor: string | null };
        return `${page.data.length} tasks, next page: ${page.nextCursor ? "yes" : "none"}, ${kB(bytes)}`;
      },
    },
    {
      key: "calendar",
      label: "GET /v1/calendar (a week, 1,000 events)",
      make: get(`/v1/calendar?${range}`)(tokens.olivia),
      describe: (body, bytes) => {
        const page = body as { data: { busy: boolean }[]; nextCursor: string | null };
        const busy = page.data.filter((e) => e.busy).length;
        return `${page.data.length} entries (${page.data.length - busy} with details, ${busy} busy blocks), next page: ${page.nextCursor ? "yes" : "none"}, ${kB(bytes)}`;
      },
    },
    {
      key: "dashboard",
      label: "GET /v1/dashboard",
      make: get("/v1/dashboard")(tokens.olivia),
      describe: (body, bytes) => {
        const d = body as { counts: Record<string, number>; nextAppointments: unknown[] };
        return `${d.counts.appointmentsToday} appointments today, ${d.nextAppointments.length} next, ${d.counts.openTasks} open tasks (${d.counts.overdueTasks} overdue), ${kB(bytes)}`;
      },
    },
  ];
  for (const r of routes) r.make = budget.counted(r.make);
  if (tokens.scim) routes.push(...scimRoutes(base, tokens.scim));
  return routes;
}

/** SCIM reads on acme's 50,000-person directory, each request with the next token (own limit each). */
function scimRoutes(base: string, dir: ScimDirectory): Route[] {
  let next = 0;
  const get = (path: string) => (): RequestSpec => ({
    method: "GET",
    url: `${base}${path}`,
    headers: { authorization: `Bearer ${dir.tokens[next++ % dir.tokens.length]}` },
    expect: 200,
  });
  const list = (body: unknown, bytes: number) => {
    const page = body as { totalResults: number; itemsPerPage: number; startIndex: number };
    return `${page.itemsPerPage} of ${page.totalResults.toLocaleString("en-US")} users from #${page.startIndex}, ${kB(bytes)}`;
  };
  const filter = get(`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${dir.userName}"`)}`);
  const page = get(`/scim/v2/Users?startIndex=${Math.floor(dir.users / 2) + 1}&count=100`);
  const users = dir.users.toLocaleString("en-US");
  return [
    { key: "scimFilter", label: `GET /scim/v2/Users?filter=userName eq "…" (${users} users)`, make: filter, spread: filter, describe: list },
    { key: "scimPage", label: `GET /scim/v2/Users (100 from the middle of ${users})`, make: page, spread: page, describe: list },
  ];
}

/** One more request, to show what the measured responses hold (and that they hold it). */
export async function describe(route: Route, stop: AbortSignal): Promise<string> {
  const spec = route.make();
  const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body, signal: AbortSignal.any([stop, AbortSignal.timeout(10_000)]) });
  const text = await res.text();
  if (res.status !== spec.expect) return `unexpected ${res.status}: ${text.slice(0, 300)}`;
  return route.describe ? route.describe(JSON.parse(text), Buffer.byteLength(text)) : `${Buffer.byteLength(text)} bytes`;
}
