// Usage counters in Redis, by tenant, UTC day and metric, plus a month-to-date counter for
// quotas. An hourly QStash job copies the day counters into Postgres (usage_daily) as absolute
// values. Later features meter their own metrics through `meter()`.
import type { Redis } from "@upstash/redis/cloudflare";
import type { Metric } from "../../shared/plans.ts";

const DAY_TTL_S = 40 * 24 * 3600;
const MONTH_TTL_S = 70 * 24 * 3600;

export const utcDay = (now: Date) => now.toISOString().slice(0, 10);
export const utcMonth = (now: Date) => now.toISOString().slice(0, 7);
export const dayKey = (tenantId: string, day: string) => `usage:${tenantId}:${day}`;
export const monthKey = (tenantId: string, month: string) => `usage:${tenantId}:m:${month}`;
export const tenantsOfDayKey = (day: string) => `usage:tenants:${day}`;

/** Start of next UTC month: when monthly quotas reset. */
export function monthReset(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/**
 * Adds to a tenant's counters. Issued synchronously (no await between commands), so with
 * auto-pipelining it shares the round trip with whatever else the request sends to Redis.
 * Resolves to the month-to-date value of the metric.
 */
export function meter(redis: Redis, tenantId: string, metric: Metric, amount: number, now = new Date()): Promise<number> {
  const day = utcDay(now);
  const daily = dayKey(tenantId, day);
  const monthly = monthKey(tenantId, utcMonth(now));
  const commands = [
    redis.hincrby(daily, metric, amount),
    redis.expire(daily, DAY_TTL_S, "NX"),
    redis.sadd(tenantsOfDayKey(day), tenantId),
    redis.expire(tenantsOfDayKey(day), DAY_TTL_S, "NX"),
    redis.expire(monthly, MONTH_TTL_S, "NX"),
  ];
  const monthToDate = redis.hincrby(monthly, metric, amount);
  return Promise.all([monthToDate, ...commands]).then(([value]) => value);
}
