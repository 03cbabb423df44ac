// The bench, start to report: the services, the data, then the phases within the time left
// before the deadline, and the report. pgbench (-T 10 per run) and throughput (5 s per target)
// have their time reserved first; the sequential rounds take what remains, so on a slow or
// loaded machine they are fewer (and if even that is not enough, the fixed runs shorten too);
// the report says what was cut.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type * as Limits from "../../functions/lib/limits.ts";
import { ACME, ACME_STAFF, bin, CALENDAR_EVENTS, knobs, OLIVIA, PLAN, RTT_MS } from "./config.ts";
import { boundsRows, cpuGroups, SHARED, throughputPath, verdict, watchProcesses, type Bounds } from "./bounds.ts";
import { CpuMeter } from "./cpu.ts";
import { percentile } from "./load.ts";
import { sleep, withTimeout } from "./processes.ts";
import { machine, MemorySampler, processAndChildren } from "./machine.ts";
import { measurePaths, measureRoutes, measureThroughput, sequential, throughputTargets, TP, type Context } from "./phases.ts";
import { markdown, writeReport, type Report } from "./report.ts";
import { findPgbench, helperCosts, PGBENCH_HINT, rlsTable } from "./rls.ts";
import { rlsCases } from "./rls-statements.ts";
import { Budget, keyRoutes, mintTokens } from "./routes.ts";
import { check, cleanup, failureList, status, timeLeft } from "./runtime.ts";
import { seedCalendar } from "./seed-calendar.ts";
import { SCIM_USERS, seedScimDirectory } from "./seed-scim.ts";
import { seedTenants } from "./seed-tenants.ts";
import { DATABASE, startCounters, startDatabase, startPooler, withPort } from "./stack.ts";
import { snapshot, startWorkers } from "./workers.ts";

const DAY_MS = 86_400_000;
/** pgbench runs (4 cases, with and without RLS), each with ~1.5 s of start-up; checks and helpers ~15 s. */
const PGBENCH_RUNS = 8;
const rlsMs = (seconds: number) => PGBENCH_RUNS * (seconds + 1.5) * 1000 + 15_000;
/**
 * Throughput: a 1 s warm-up and `seconds` slices per target (each ~0.1 s more: its tail and the
 * CPU readings), and the waits between.
 */
const throughputMs = (targets: number, seconds: number) => targets * (1.1 * seconds + 1) * 1000 + 8_000;
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.floor(n)));
const en = (n: number) => n.toLocaleString("en-US");

export async function run(): Promise<{ report: Report; markdown: string; file: string }> {
  const startedAt = new Date();
  const info = machine();
  const notes: string[] = [];
  const memory = new MemorySampler();
  memory.start();
  // The load client and both proxies share this process (the Upstash stand-ins have their own):
  // its own lag is part of every latency.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  cleanup.add("stop memory sampling", () => memory.stop());

  // --- services and data -------------------------------------------------------------------
  status("starting Postgres (migrations + seed)");
  const db = await startDatabase();
  const postmaster = await db.postmasterPid();
  memory.watch(SHARED[0]!, processAndChildren(postmaster), { pss: true });
  const pooler = await startPooler(db);
  if (pooler.missing) console.error(`${pooler.missing}\nmeasuring DIRECT connections only; the report marks every such figure`);
  if (pooler.bouncer) memory.watch(SHARED[1]!, processAndChildren(pooler.bouncer.pid));
  const pooledPort = pooler.bouncer?.port ?? db.pg.port;
  const work = await mkdtemp(join(tmpdir(), "ai-office-bench-"));
  cleanup.add("remove temp dir", () => rm(work, { recursive: true, force: true }));
  const ctx: Context = { counters: await startCounters(db, pooledPort, work), pooledPort, directPort: db.pg.port, pooled: !!pooler.bouncer };
  const apiDir = await snapshot(work);

  // acme's week ends at the end of today (UTC), so today's share shows on the dashboard and
  // supabase/seed.sql's events (tomorrow) stay outside: the week holds exactly these.
  const weekTo = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
  const week = { from: new Date(weekTo.getTime() - 7 * DAY_MS), to: weekTo };
  const devSecret = randomBytes(32).toString("base64url");
  status(`seeding ${en(knobs.tenants)} tenants × ${en(knobs.tasksPerTenant)} tasks and acme's week, while wrangler dev starts four Workers`);
  // acme's tasks: the assignees are members 2-5, so Olivia goes second to get some (her dashboard shows them).
  const acmeMembers = [ACME_STAFF[1]!, ...ACME_STAFF.filter((_, i) => i !== 1)];
  // Each bounded on its own, so a step that hangs is named (the deadline would only say "bench").
  const done = <T>(what: string, p: Promise<T>) => withTimeout(p, 240_000, `step "${what}"`).then((v) => (status(what), v));
  const [seeded, calendar, workers] = await Promise.all([
    done(
      "tenants and tasks seeded",
      seedTenants(db.adminUrl, { tenants: knobs.tenants, tasksPerTenant: knobs.tasksPerTenant, extra: { tenantId: ACME, memberIds: acmeMembers } }, Math.min(4, availableParallelism())),
    ),
    done("acme's week seeded", seedCalendar(db.adminUrl, { tenantId: ACME, ownerIds: ACME_STAFF.slice(1, 4), callerId: OLIVIA.id, from: week.from, to: week.to, count: CALENDAR_EVENTS, attendEvery: 5 })),
    done(
      "Workers up",
      startWorkers(
        work,
        apiDir,
        { databaseUrl: ctx.counters.workerDbUrl, vars: { AUTH_DEV_SECRET: devSecret, ...ctx.counters.bindings } },
        { databaseUrl: withPort(db.apiUrl, pooledPort), vars: { AUTH_DEV_SECRET: devSecret, ...ctx.counters.standIns.bindings } },
      ),
    ),
  ]);
  const workerGroups = watchProcesses(memory, Object.values(workers), ctx.counters.standIns);

  const tokens = await mintTokens(devSecret, knobs.tenants);
  tokens.scim = await done(`acme's SCIM directory seeded (${en(SCIM_USERS)} people)`, seedScimDirectory(db.adminUrl, ACME));
  const { memberLimit } = (await import(join(apiDir, "functions/lib/limits.ts"))) as typeof Limits;
  const budget = new Budget(Math.floor(0.9 * memberLimit(PLAN)));
  const routes = keyRoutes(workers.api.base, tokens, week, budget);
  const me = routes.find((r) => r.key === "me")!;
  // Throughput loads the API bound directly (no counting proxy), as production has no proxy.
  const boundRoutes = keyRoutes(workers.apiDirect.base, tokens, week, budget);
  const noLimits = keyRoutes(workers.noLimits.base, tokens, week, budget).find((r) => r.key === "me")!;

  // --- the phases --------------------------------------------------------------------------
  const bare = () => ({ method: "GET", url: `${workers.bare.base}/`, expect: 200 });
  await sequential(bare, 20);
  const bareRun = await sequential(bare, knobs.samples);
  check("bare Hono", bareRun);
  const targets = throughputTargets(routes.length, ctx.pooled);
  const sequentialMs = Math.max(40_000, timeLeft() - rlsMs(knobs.pgbenchSeconds) - throughputMs(targets, knobs.throughputSeconds));
  const rows = await measureRoutes(ctx, routes, 0.8 * sequentialMs);
  const paths = await measurePaths(ctx, me, boundRoutes[0]!, noLimits, Math.max(8_000, 0.2 * sequentialMs));
  // Throughput gets what pgbench at full length leaves; if that is short, the two share the rest.
  const forThroughput = Math.max(timeLeft() - rlsMs(knobs.pgbenchSeconds), 0.4 * (timeLeft() - rlsMs(2)));
  const seconds = clamp(((forThroughput - 8_000) / 1000 / targets - 1) / 1.1, 1, knobs.throughputSeconds);
  await memory.sample(true); // the groups' current pids, for the CPU meter
  const meter = new CpuMeter(await cpuGroups(memory, workerGroups, SHARED.map((name) => ({ name, parent: name === SHARED[0] ? postmaster : undefined }))));
  // A direct-bound Worker's tail (waitUntil: the limiter's writes, closing the connection) is not
  // visible to the proxies: 50 ms is ample for it.
  const settle = () => Promise.all([ctx.counters.pgProxy.waitIdle(3_000), ctx.counters.redisProxy.waitIdle(3_000), sleep(50)]).then(() => undefined);
  const tp = await measureThroughput(ctx, bare, boundRoutes, { meCounted: me.spread!, meWithoutLimits: noLimits.spread! }, budget, seconds, { meter, settle });
  const bareRps = tp.get(TP.bare)!.rps;
  for (const [i, r] of routes.entries()) {
    const t = tp.get(r.label)!;
    Object.assign(rows[i]!, { rps: t.rps, ratioToBare: t.rps / bareRps, bound: t.bound });
  }
  // Direct vs pooled: both through the counting proxies, so the proxies' cost is alike on both.
  for (const row of paths.paths) row.rps = tp.get(row.path === "direct" && ctx.pooled ? TP.direct : TP.counted)?.rps;
  Object.assign(paths.limits, { rpsWith: tp.get(me.label)?.rps, rpsWithout: tp.get(TP.noLimits)?.rps });
  const workerOf = (label: string) => (label === TP.bare ? workers.bare : label === TP.noLimits ? workers.noLimits : label === TP.counted || label === TP.direct ? workers.api : workers.apiDirect).name;

  const pgbench = findPgbench();
  const cases = await rlsCases(apiDir, knobs.tenants, week);
  const pgbenchSeconds = clamp((timeLeft() - 15_000) / 1000 / PGBENCH_RUNS - 1.5, 0, knobs.pgbenchSeconds);
  let rls: Report["rls"];
  if (!pgbench) notes.push(`RLS table skipped: pgbench is not installed (${PGBENCH_HINT})`);
  else if (pgbenchSeconds < 2) notes.push("RLS table skipped: not enough time left before the deadline");
  else {
    const measured = await rlsTable(db, pgbench, cases, work, pgbenchSeconds, knobs.pgbenchClients, (label) => status(`pgbench: ${label}`));
    rls = { rows: measured, seconds: pgbenchSeconds, clients: knobs.pgbenchClients };
  }
  status("RLS helpers: cost per call");
  const helpers = await helperCosts(db, knobs.helperCalls);
  for (const [what, got, want] of [
    ["throughput", seconds, knobs.throughputSeconds],
    ["pgbench -T", pgbenchSeconds, knobs.pgbenchSeconds],
  ] as const) {
    if (got < want && got > 0) notes.push(`${what}: ${got} s instead of ${want}, to finish before the deadline (a slow or loaded machine)`);
  }
  const cut = rows.filter((r) => r.n < knobs.samples);
  if (cut.length) notes.push(`sequential rounds cut to fit the deadline: ${cut.map((r) => `${r.label} ${r.n}`).join(", ")} of ${knobs.samples}`);

  const bounds: Bounds = {
    cores: info.cores,
    rows: boundsRows([...tp.values()], workerOf),
    shared: SHARED,
    path: throughputPath(pooler.bouncer ? "pgbouncer (transaction mode) → Postgres" : "Postgres (DIRECT: no pooler)"),
    me: me.label,
    bare: TP.bare,
  };
  bounds.verdict = verdict(bounds);

  await memory.sample();
  info.loadAfter = loadavg();
  const lag = (ns: number) => Math.max(0, ns / 1e6 - 10).toFixed(1); // the histogram includes the 10 ms timer itself
  notes.push(`event-loop lag of the bench process (the load client and both proxies): p50 ${lag(loop.percentile(50))} ms, p99 ${lag(loop.percentile(99))} ms, max ${lag(loop.max)} ms`);
  const report: Report = {
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: info,
    rttMs: RTT_MS,
    concurrency: knobs.concurrency,
    helperCalls: knobs.helperCalls,
    load: {
      "injected delay": `${knobs.delayMs} ms each way (RTT ${RTT_MS} ms)`,
      "per key route": `up to ${knobs.samples} sequential rounds (one request without delay, one with the Postgres delay; the Redis delay in the first ${knobs.redisSamples})`,
      "GET /v1/me paths": `${paths.rounds} rounds`,
      throughput: `c=${knobs.concurrency}, ${seconds} s per target in 1 s slices, no delay, the API bound directly (no counting proxy)`,
      "Worker logs": "warn",
    },
    versions: versions(db.version, pooler.bouncer?.version),
    path: pooler.bouncer
      ? `Worker → counting proxy → pgbouncer (${Object.entries(pooler.bouncer.settings).map(([k, v]) => `${k}=${v}`).join(", ")}) → Postgres; "direct" is the proxy straight to Postgres; ` +
        `throughput: a second instance of the API bound straight to pgbouncer and the Redis stand-in (see What bounds throughput)`
      : `DIRECT: Worker → counting proxy → Postgres (${pooler.missing}); throughput: a second instance of the API bound straight to Postgres and the Redis stand-in`,
    pooled: ctx.pooled,
    selfChecks: ctx.counters.selfChecks,
    data: [
      `${en(seeded.tenants)} tenants × ${en(knobs.tasksPerTenant)} tasks (${en(seeded.members)} members; ${en(seeded.tasks)} tasks with acme's; the tasks' user triggers off while seeding, ${seeded.seconds.toFixed(0)} s)`,
      `acme's week ${week.from.toISOString().slice(0, 10)} → ${week.to.toISOString().slice(0, 10)}: ${en(calendar.events)} events (${calendar.appointments} appointments; ${calendar.attendees} attendees, ${calendar.attended} of them the caller)`,
      `database ${DATABASE}`,
    ],
    routes: rows,
    bare: { p50: percentile(bareRun.latencies, 50), p99: percentile(bareRun.latencies, 99), rps: bareRps },
    paths: paths.paths,
    limits: paths.limits,
    rls,
    helpers,
    bounds,
    memory: memory.peaks(),
    notes,
    failures: failureList(),
  };
  const md = markdown(report);
  return { report, markdown: md, file: await writeReport(report, md) };
}

function versions(postgres: string, pgbouncer: string | undefined): Record<string, string> {
  const out: Record<string, string> = { Node: process.version, Postgres: postgres };
  if (pgbouncer) out.pgbouncer = pgbouncer.replace(/^PgBouncer /, "");
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
  out.wrangler = execFileSync(join(bin, "wrangler"), ["--version"], { encoding: "utf8", env }).trim().split("\n").pop()!;
  const pgbench = findPgbench();
  out.pgbench = pgbench ? execFileSync(pgbench, ["--version"], { encoding: "utf8" }).trim().replace(/^pgbench \(PostgreSQL\) /, "") : "not installed";
  return out;
}
