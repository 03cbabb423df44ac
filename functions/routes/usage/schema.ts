import { z } from "@hono/zod-openapi";
import { METRICS } from "../../../shared/plans.ts";

const Day = z.iso.date().openapi({ example: "2026-11-01" });
export const MetricName = z.enum(METRICS).openapi("UsageMetric");

export const UsageQuery = z
  .object({
    from: Day,
    to: Day,
    metric: MetricName.optional(),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["to"] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, { message: "at most 366 days", path: ["to"] });

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
