// The measuring phases against the running Workers, each within the time it is given:
// the key routes (round trips and latency, sequential, pooled), GET /v1/me's paths (direct vs
// pooled, Redis delayed, without limits+metering) and throughput at c=8.
import { knobs, RTT_MS } from "./config.ts";
import { load, type RequestSpec } from "./load.ts";
import type { PathRow, Report, RouteRow } from "./report.ts";
import { latency, NO_DELAY, pairedDiff, pgCounts, redisCounts, rounds, timeline, type Series, type Setting } from "./rounds.ts";
import { describe, type Budget, type Route } from "./routes.ts";
import { check, status, stopping } from "./runtime.ts";
import type { Counters } from "./stack.ts";
import { throughput, type Metering, type Target, type Throughput } from "./throughput.ts";

export interface Context {
  counters: Counters;
  pooledPort: number;
  directPort: number;
  pooled: boolean;
}

export const sequential = (make: () => RequestSpec, n: number) => load(make, { concurrency: 1, maxRequests: n, maxMs: 30_000, stop: stopping.signal });

export async function measureRoutes(ctx: Context, routes: Route[], allowanceMs: number): Promise<RouteRow[]> {
  const rows: RouteRow[] = [];
  const until = performance.now() + allowanceMs;
  for (const [i, route] of routes.entries()) {
    status(`round trips and latency: ${route.label}`);
    ctx.counters.pgProxy.setTarget(ctx.pooledPort);
    check(`${route.label} warm-up`, await sequential(route.make, 5));
    const setting = (pg: Setting["pg"], redisDelayMs: number, only?: number): Setting => ({ make: route.make, pg, redisDelayMs, targetPort: ctx.pooledPort, rounds: only });
    const s = await rounds(
      ctx.counters,
      knobs.samples,
      {
        base: setting(NO_DELAY, 0),
        pg: setting({ delayMs: knobs.delayMs, delayStartup: false }, 0),
        redis: setting(NO_DELAY, knobs.delayMs, knobs.redisSamples),
      },
      Math.max(4_000, (until - performance.now()) / (routes.length - i)),
    );
    for (const [k, x] of Object.entries(s)) check(`${route.label} (${k})`, x);
    const pgc = pgCounts(s.pg);
    const rc = redisCounts(s.redis);
    const [base, delayed] = [latency(s.base), latency(s.pg)];
    rows.push({
      label: route.label,
      pgQueryRts: pgc.query,
      pgStartupRts: pgc.startup,
      pgConnections: pgc.connections,
      redisRts: rc.flights,
      redisAwaited: rc.beforeQuery,
      redisRequests: rc.requests,
      p50: base.p50,
      p99: base.p99,
      delayedP50: delayed.p50,
      delayedP99: delayed.p99,
      derivedRts: (delayed.p50 - base.p50) / RTT_MS,
      pairedRts: pairedDiff(s.pg, s.base) / RTT_MS,
      n: Math.min(base.n, delayed.n),
      response: route.describe ? await describe(route, stopping.signal) : undefined,
      detail: [pgc.detail && `Postgres: ${pgc.detail}`, knobs.verbose || rc.beforeQuery !== 1 ? `Redis: ${rc.detail}` : undefined].filter(Boolean).join("; ") || undefined,
    });
  }
  return rows;
}

/**
 * `me` and the direct vs pooled rows go through the counting proxies; the limits comparison is
 * between the two Workers bound directly (`bound`: the API, `noLimits`), as their throughput is.
 */
export async function measurePaths(ctx: Context, me: Route, bound: Route, noLimits: Route, allowanceMs: number): Promise<{ paths: PathRow[]; limits: NonNullable<Report["limits"]>; rounds: number }> {
  status("GET /v1/me: direct vs pooled, Redis +RTT, without limits+metering");
  const setting = (targetPort: number, redisDelayMs: number, make = me.make): Setting => ({ make, pg: NO_DELAY, redisDelayMs, targetPort });
  const p = await rounds(
    ctx.counters,
    Math.min(knobs.samples, 60),
    {
      pooled: setting(ctx.pooledPort, 0),
      pooledRedis: setting(ctx.pooledPort, knobs.delayMs),
      direct: setting(ctx.directPort, 0),
      directRedis: setting(ctx.directPort, knobs.delayMs),
      bound: setting(ctx.pooledPort, 0, bound.make),
      noLimits: setting(ctx.pooledPort, 0, noLimits.make),
    },
    allowanceMs,
  );
  for (const [k, x] of Object.entries(p)) check(`GET /v1/me (${k})`, x);
  const row = (path: PathRow["path"], base: Series, redis: Series): PathRow => ({
    path,
    ...latency(base),
    startupMs: pgCounts(base).startupMs,
    redis: {
      p50: latency(base).p50,
      delayedP50: latency(redis).p50,
      growth: latency(redis).p50 - latency(base).p50,
      pairedGrowth: pairedDiff(redis, base),
      redisRts: redisCounts(redis).flights,
      redisAwaited: redisCounts(redis).beforeQuery,
      timeline: timeline(redis),
      timelineBase: timeline(base),
    },
  });
  return {
    paths: [...(ctx.pooled ? [row("pooled", p.pooled, p.pooledRedis)] : []), row("direct", p.direct, p.directRedis)],
    limits: { p50With: latency(p.bound).p50, p50Without: latency(p.noLimits).p50, paired: pairedDiff(p.bound, p.noLimits) },
    rounds: p.pooled.samples.length,
  };
}

/** Labels of the throughput targets besides the key routes. */
export const TP = {
  bare: "bare Hono",
  counted: "GET /v1/me through the counting proxies (pooled)",
  direct: "GET /v1/me through the counting proxies, no pooler (direct)",
  noLimits: "GET /v1/me without limits+metering",
};

/**
 * Throughput of the bare Hono Worker, every key route on the API bound directly (pooled, no
 * counting proxy: `routes`), GET /v1/me on the API behind the counting proxies pooled and direct
 * (`meCounted`), and GET /v1/me without limits+metering (bound directly).
 */
export async function measureThroughput(
  ctx: Context,
  bare: () => RequestSpec,
  routes: Route[],
  extra: { meCounted: () => RequestSpec; meWithoutLimits: () => RequestSpec },
  budget: Budget,
  seconds: number,
  cpu?: Metering,
): Promise<Map<string, Throughput>> {
  status(`throughput: c=${knobs.concurrency}, ${seconds} s per target in 1 s slices`);
  const targets: Target[] = [
    { label: TP.bare, make: bare },
    ...routes.map((r) => ({ label: r.label, make: r.spread ?? r.make, budget: r.spread ? undefined : budget })),
    { label: TP.counted, make: extra.meCounted, targetPort: ctx.pooledPort },
    ...(ctx.pooled ? [{ label: TP.direct, make: extra.meCounted, targetPort: ctx.directPort }] : []),
    { label: TP.noLimits, make: extra.meWithoutLimits },
  ];
  const results = await throughput(ctx.counters, targets, seconds, cpu);
  return new Map(results.map((r) => [r.label, r]));
}

export const throughputTargets = (routes: number, pooled: boolean) => routes + (pooled ? 4 : 3);
