// Hourly (QStash schedule "usage-flush"): copies today's and yesterday's counters from Redis into
// usage_daily as absolute values, so a repeated or duplicated flush never double-counts.
import { z } from "zod";
import { METRICS } from "../../shared/plans.ts";
import { dayKey, tenantsOfDayKey, utcDay } from "../lib/usage.ts";
import { defineJob } from "./types.ts";

export const USAGE_FLUSH_SCHEDULE_ID = "usage-flush";
export const USAGE_FLUSH_CRON = "0 * * * *";

export const usageFlush = defineJob({
  name: "usage-flush",
  payload: z.looseObject({}),
  async run({ tx, redis, now }) {
    const days = [utcDay(now), utcDay(new Date(now.getTime() - 24 * 3600 * 1000))];
    const tenantsByDay = await Promise.all(days.map((day) => redis.smembers(tenantsOfDayKey(day))));
    const pairs = days.flatMap((day, i) => (tenantsByDay[i] ?? []).map((tenantId) => ({ tenantId, day })));
    const counters = await Promise.all(pairs.map(({ tenantId, day }) => redis.hgetall<Record<string, number | string>>(dayKey(tenantId, day))));
    const rows = pairs.flatMap(({ tenantId, day }, i) =>
      Object.entries(counters[i] ?? {})
        .filter(([metric]) => (METRICS as readonly string[]).includes(metric))
        .map(([metric, value]) => ({ tenant_id: tenantId, day, metric, value: Number(value) })),
    );
    if (rows.length === 0) return { tenants: 0, rows: 0, written: 0 };
    const result = await tx((q) => q.one<{ written: number }>("select private.record_usage($1::jsonb) as written", [JSON.stringify(rows)]));
    return { tenants: new Set(pairs.map((p) => p.tenantId)).size, rows: rows.length, written: result?.written ?? 0 };
  },
});
