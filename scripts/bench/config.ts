// The bench's knobs (environment, all optional) and the fixed facts it relies on.
import { join } from "node:path";

export const root = new URL("../../", import.meta.url).pathname;
export const bin = join(root, "node_modules/.bin");

const intEnv = (name: string, fallback: number, min: number) => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
};

export const knobs = {
  /** One-way delay the proxies inject (RTT = 2×); ≥ 5 ms or pipelined writes could be miscounted. */
  delayMs: intEnv("BENCH_DELAY_MS", 10, 5),
  /** Sequential rounds per route (each round: one request without delay, one with). */
  samples: intEnv("BENCH_SAMPLES", 100, 5),
  /** Rounds per route that also measure Redis with its delay on (exact Redis count). */
  redisSamples: intEnv("BENCH_REDIS_SAMPLES", 20, 3),
  concurrency: intEnv("BENCH_CONCURRENCY", 8, 1),
  /** Seconds of throughput per target (taken in 1 s slices, targets taking turns). */
  throughputSeconds: intEnv("BENCH_SECONDS", 5, 1),
  /** pgbench -T per run of the RLS ratio table. */
  pgbenchSeconds: intEnv("BENCH_PGBENCH_SECONDS", 10, 1),
  pgbenchClients: intEnv("BENCH_PGBENCH_CLIENTS", 2, 1),
  tenants: intEnv("BENCH_TENANTS", 1_000, 1),
  tasksPerTenant: intEnv("BENCH_TASKS_PER_TENANT", 1_000, 60),
  /** Calls per statement when timing one RLS helper. */
  helperCalls: intEnv("BENCH_HELPER_CALLS", 20_000, 100),
  verbose: process.env.BENCH_VERBOSE === "1",
};
export const RTT_MS = 2 * knobs.delayMs;

/** The whole run, start to clean-up; phases that would not fit are skipped and say so. */
export const DEADLINE_MS = 6 * 60_000;

// Seeded demo people (supabase/seed.sql). Olivia owns acme; Eve is an acme employee.
export const ACME = "10000000-0000-4000-8000-000000000001";
export const OLIVIA = { id: "a0000000-0000-4000-8000-000000000001", email: "olivia.owner@acme.test" };
export const EVE = { id: "a0000000-0000-4000-8000-000000000003", email: "eve.sales@acme.test" };
/** acme's staff: owner, manager, two employees and the consultant (an employee there). */
export const ACME_STAFF = [
  OLIVIA.id,
  "a0000000-0000-4000-8000-000000000002",
  EVE.id,
  "a0000000-0000-4000-8000-000000000004",
  "c0000000-0000-4000-8000-000000000001",
];
export const CALENDAR_EVENTS = 1_000;

// What the Worker pins (wrangler.toml [vars]); tokens are signed with the bench's dev secret.
export const AUTH_ISSUER = "http://127.0.0.1:54321/auth/v1";
export const AUTH_AUDIENCE = "authenticated";
export const PLAN = "enterprise";
