import { createRoute, type z } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { isPlanId, METRICS, PLANS, type Metric } from "../../../shared/plans.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { monthReset, utcMonth } from "../../lib/usage.ts";
import type { App } from "../../types.ts";
import { permissionFirst } from "../../lib/validation.ts";
import { Usage, UsageQuery, usagePeriod } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/usage",
  tags: ["usage"],
  summary: "Usage by day, period totals and this month against the plan (owners/admins)",
  description: "Counted per request in Redis and copied to Postgres hourly (every minute on the local stack), so the last hour may not show yet. The period defaults to the current month (UTC).",
  ...tenantScope,
  request: { query: UsageQuery },
  responses: { 200: json(Usage, "Usage of the active tenant"), ...tenantErrors() },
});

type Row = { allowed: boolean; plan: string; flushed: string | null; days: { day: string; metric: Metric; value: number }[] | null; month: Record<string, number> | null };

const allowed = "select private.is_staff_admin() as allowed";

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
    const query = c.req.valid("query");
    const now = new Date();
    const { from, to, problem } = usagePeriod(query, now);
    if (problem) throw new ApiError("bad_request", problem, { fieldErrors: [{ path: "query.to", message: problem }] });
    const { metric } = query;
    const month = utcMonth(now);
    const row = await c.var.db.tx((q) =>
      q.one<Row>(
        `select (${allowed}) as allowed,
                (select plan from public.tenants where id = (select private.current_tenant())) as plan,
                (select max(updated_at)::text from public.usage_daily) as flushed,
                (select json_agg(json_build_object('day', day::text, 'metric', metric, 'value', value) order by day, metric)
                 from public.usage_daily where day between $1 and $2 and ($3::text is null or metric::text = $3)) as days,
                (select json_object_agg(metric, total) from (
                   select metric, sum(value)::bigint as total from public.usage_daily
                   where to_char(day, 'YYYY-MM') = $4 group by metric) m) as month`,
        [from, to, metric ?? null, month],
      ),
    );
    if (!row?.allowed) throw new ApiError("forbidden", "usage is for owners and admins");
    const planId = isPlanId(row.plan) ? row.plan : "free";
    const plan = PLANS[planId];
    const days = (row.days ?? []).map((d) => ({ ...d, value: Number(d.value) }));
    const totals = {} as Record<Metric, number>;
    for (const d of days) totals[d.metric] = (totals[d.metric] ?? 0) + d.value;
    const metrics = {} as Record<Metric, { used: number; quota: number }>;
    for (const m of METRICS) metrics[m] = { used: Number(row.month?.[m] ?? 0), quota: plan.monthlyQuotas[m] };
    const body: z.infer<typeof Usage> = {
      plan: { id: planId, name: plan.name, rateLimitPerMinute: plan.rateLimitPerMinute, monthlyQuotas: plan.monthlyQuotas },
      from,
      to,
      days,
      totals,
      currentMonth: { month, resetsAt: monthReset(now).toISOString(), metrics },
      flushedThrough: row.flushed ? new Date(row.flushed).toISOString() : null,
    };
    return c.json(body, 200);
    },
    // Who may not read usage learns that first, not what is wrong with their parameters.
    permissionFirst(allowed, "usage is for owners and admins"),
  );
