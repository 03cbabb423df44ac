// Sequential measurement: rounds of one request per setting (a request maker, the delays the two
// proxies inject, and whether Postgres traffic goes through the pooler or straight to Postgres),
// the settings alternating request by request so that background load on the machine hits them
// all alike. Each request starts on a quiet slate and is followed by a quiet wait (the Worker
// closes its connection and spends the rate-limit windows after the response, in waitUntil), so
// everything the proxies see from its start to the end of that wait is that request's: its
// Postgres connections (with start-up and query round trips, timestamps) and its Redis requests
// (grouped into round trips).
import { knobs } from "./config.ts";
import { load, percentile, type RequestSpec } from "./load.ts";
import type { ConnectionStats, DelayConfig } from "./pg-proxy.ts";
import { sleep } from "./processes.ts";
import type { RedisRequestStats } from "./redis-proxy.ts";
import { stopping } from "./runtime.ts";
import type { Counters } from "./stack.ts";

export interface Setting {
  make: () => RequestSpec;
  pg: DelayConfig;
  redisDelayMs: number;
  /** Upstream port for the Worker's Postgres connections: the pooler or Postgres. */
  targetPort: number;
  /** Take part only in the first n rounds. */
  rounds?: number;
}

export interface Sample {
  /** Latency, or null if the request failed. */
  ms: number | null;
  t0: number;
  t1: number;
  pg: ConnectionStats[];
  redis: RedisRequestStats[];
}

export interface Series {
  samples: Sample[];
  errors: number;
  firstError?: string;
}

export const NO_DELAY: DelayConfig = { delayMs: 0, delayStartup: true };

async function quiet(c: Counters): Promise<void> {
  await sleep(10); // a waitUntil after the response would start here
  await Promise.all([c.pgProxy.waitIdle(3_000), c.redisProxy.waitIdle(3_000)]);
}

export async function rounds<K extends string>(c: Counters, n: number, settings: Record<K, Setting>, maxMs = 90_000): Promise<Record<K, Series>> {
  const keys = Object.keys(settings) as K[];
  const out = {} as Record<K, Series>;
  for (const k of keys) out[k] = { samples: [], errors: 0 };
  const deadline = performance.now() + maxMs;
  await quiet(c);
  c.pgProxy.reset();
  c.redisProxy.reset();
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    for (const k of keys) {
      const s = settings[k];
      if (s.rounds !== undefined && i >= s.rounds) continue;
      stopping.signal.throwIfAborted();
      c.pgProxy.setDelay(s.pg);
      c.pgProxy.setTarget(s.targetPort);
      c.redisProxy.setDelay(s.redisDelayMs);
      const t0 = performance.now();
      const r = await load(s.make, { concurrency: 1, maxRequests: 1, maxMs: 15_000, stop: stopping.signal });
      const t1 = performance.now();
      await quiet(c);
      c.redisProxy.setDelay(0);
      c.pgProxy.setDelay(NO_DELAY);
      const end = performance.now();
      const inside = (at: number) => at >= t0 && at <= end;
      out[k].samples.push({
        ms: r.ok === 1 ? r.latencies[0]! : null,
        t0,
        t1,
        pg: c.pgProxy.connections().filter((x) => inside(x.openedAt)),
        redis: c.redisProxy.requests().filter((x) => inside(x.arrivedAt)),
      });
      c.pgProxy.reset();
      c.redisProxy.reset();
      out[k].errors += r.errors;
      out[k].firstError ??= r.firstError;
    }
  }
  return out;
}

const median = (values: number[]) => percentile(values, 50);
const ok = (s: Series) => s.samples.filter((x) => x.ms !== null);

export function latency(s: Series): { p50: number; p99: number; n: number } {
  const ms = ok(s).map((x) => x.ms!);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), n: ms.length };
}

/** Median over rounds where both succeeded of (latency under a) − (latency under b). */
export function pairedDiff(a: Series, b: Series): number {
  const diffs: number[] = [];
  for (let i = 0; i < Math.min(a.samples.length, b.samples.length); i++) {
    const x = a.samples[i]!.ms;
    const y = b.samples[i]!.ms;
    if (x !== null && y !== null) diffs.push(x - y);
  }
  return median(diffs);
}

export interface PgCounts {
  connections: number;
  startup: number;
  query: number;
  /** Median accept → ReadyForQuery delivered, ms (the connection's start-up as the Worker sees it). */
  startupMs: number;
  /** The connections' shapes when they differ (or always with BENCH_VERBOSE=1). */
  detail?: string;
}

/** Per request, averaged over the series' requests. */
export function pgCounts(s: Series): PgCounts {
  const conns = s.samples.flatMap((x) => x.pg);
  const n = s.samples.length || NaN;
  const sum = (f: (c: ConnectionStats) => number) => conns.reduce((a, c) => a + f(c), 0) / n;
  const shapes = new Map<string, number>();
  for (const c of conns) {
    const key =
      `${c.startupFlights} start-up [${c.startupMessages}, auth ${c.authCodes.join("/")}] + ${c.queryRoundTrips} query RTs [${c.clientMessages}]` +
      `${c.opaque ? ` (${c.opaque})` : ""}${c.closedAt === undefined ? " (still open)" : ""}`;
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  const uniform = shapes.size === 1 && conns.length === s.samples.length && !conns.some((c) => c.opaque || c.closedAt === undefined);
  return {
    connections: conns.length / n,
    startup: sum((c) => c.startupFlights),
    query: sum((c) => c.queryRoundTrips),
    startupMs: median(conns.filter((c) => c.readyAt !== undefined).map((c) => c.readyAt! - c.openedAt)),
    ...(uniform && !knobs.verbose ? {} : { detail: [...shapes].map(([k, v]) => `${v}× ${k}`).join("; ") }),
  };
}

/**
 * Redis HTTP requests and round trips (distinct flights) per request, with their shapes; and the
 * round trips answered before the request's first Postgres query was sent: the ones the Worker
 * waited for before its handler (the limiter's read), as opposed to those it sends on
 * (spending the windows, metering) and awaits only in waitUntil.
 */
export function redisCounts(s: Series): { requests: number; flights: number; beforeQuery: number; detail: string } {
  const n = s.samples.length || NaN;
  const shapes = new Map<string, number>();
  let requests = 0;
  let flights = 0;
  let beforeQuery = 0;
  for (const { redis, pg } of s.samples) {
    const byFlight = new Map<number, RedisRequestStats[]>();
    for (const r of redis) byFlight.set(r.flight, [...(byFlight.get(r.flight) ?? []), r]);
    requests += redis.length;
    flights += byFlight.size;
    const firstQuery = pg[0]?.firstQueryAt ?? Infinity;
    for (const f of byFlight.values()) if (f.every((r) => r.answeredAt !== undefined && r.answeredAt <= firstQuery)) beforeQuery++;
    const shape = [...byFlight.values()]
      .map((f) => f.map((r) => `${r.method} ${r.path}: ${r.commands.join(" ")}${r.status === 200 ? "" : ` → ${r.status ?? "no answer"}`}`).join(" + "))
      .join(" | ");
    const key = `${byFlight.size} RT${byFlight.size === 1 ? "" : "s"}${shape ? ` [${shape}]` : ""}`;
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  return { requests: requests / n, flights: flights / n, beforeQuery: beforeQuery / n, detail: [...shapes].map(([k, v]) => `${v}× ${k}`).join("; ") };
}

export interface Timeline {
  /** Medians in ms from the request's start (client side) to each event, over requests with one connection. */
  pgOpened: number;
  pgReady: number;
  /** The first Redis round trip's answer reaching the Worker (the limiter's read). */
  redisAnswered: number;
  firstQuery: number;
  lastAnswer: number;
  response: number;
  /** Requests whose connection was ready before the limiter's Redis answer came back. */
  readyFirst: number;
  n: number;
}

export function timeline(s: Series): Timeline {
  const rows = s.samples.filter((x) => x.ms !== null && x.pg.length === 1 && x.redis.length > 0 && x.pg[0]!.readyAt !== undefined);
  const at = (f: (x: Sample) => number | undefined) => median(rows.map((x) => f(x)! - x.t0));
  // The limiter awaits every request of its flight.
  const redisAt = (x: Sample) => Math.max(...x.redis.filter((r) => r.flight === x.redis[0]!.flight).map((r) => r.answeredAt ?? Infinity));
  return {
    pgOpened: at((x) => x.pg[0]!.openedAt),
    pgReady: at((x) => x.pg[0]!.readyAt),
    redisAnswered: at(redisAt),
    firstQuery: at((x) => x.pg[0]!.firstQueryAt),
    lastAnswer: at((x) => x.pg[0]!.lastAnswerAt),
    response: at((x) => x.t1),
    readyFirst: rows.filter((x) => x.pg[0]!.readyAt! <= redisAt(x)).length,
    n: rows.length,
  };
}
