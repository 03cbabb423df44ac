import { z } from "@hono/zod-openapi";
import { METRICS } from "../../../shared/plans.ts";

const Day = z.iso.date().openapi({ example: "2026-11-01" });
export const MetricName = z.enum(METRICS).openapi("UsageMetric");

/** The first and the last day of the current UTC month (the default period). */
export function currentMonthRange(now: Date): { from: string; to: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

export const UsageQuery = z.object({
  from: Day.optional().openapi({ description: "First day (UTC); default: the first of the current month" }),
  to: Day.optional().openapi({ description: "Last day (UTC); default: the last of the current month" }),
  metric: MetricName.optional(),
});

/** The period asked for, completed with the current month; why it is unusable, if it is. */
export function usagePeriod(q: z.infer<typeof UsageQuery>, now: Date): { from: string; to: string; problem?: string } {
  const month = currentMonthRange(now);
  const from = q.from ?? month.from;
  const to = q.to ?? (q.from && q.from > month.to ? q.from : month.to);
  if (from > to) return { from, to, problem: "from must not be after to" };
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366) return { from, to, problem: "at most 366 days" };
  return { from, to };
}

export const Usage = z
  .object({
    plan: z.object({
      id: z.string(),
      name: z.string(),
      rateLimitPerMinute: z.number().int(),
      monthlyQuotas: z.record(MetricName, z.number().int()),
    }),
    from: Day,
    to: Day,
    days: z.array(z.object({ day: Day, metric: MetricName, value: z.number().int() })),
    totals: z.record(MetricName, z.number().int()).openapi({ description: "Sums over the period" }),
    currentMonth: z.object({
      month: z.string().openapi({ example: "2026-11" }),
      resetsAt: z.string(),
      metrics: z.record(MetricName, z.object({ used: z.number().int(), quota: z.number().int() })),
    }),
    flushedThrough: z.string().nullable().openapi({ description: "When counters were last copied from Redis (hourly)" }),
  })
  .openapi("Usage");
