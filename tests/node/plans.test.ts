// The Worker decides limits and quotas from shared/plans.ts (no database round trip); the
// database keeps the same price list for reports and foreign keys. They must agree.
import pg from "pg";
import { expect, inject, it } from "vitest";
import { METRICS, PLANS } from "../../shared/plans.ts";

it("shared/plans.ts and the plans table agree, and usage metrics match the usage_metric enum", async () => {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    const rows = (await client.query("select id, name, rate_limit_per_minute, monthly_quotas, automation_limits, monthly_token_budget from public.plans order by id")).rows;
    expect(Object.fromEntries(rows.map((r) => [r.id, { name: r.name, rateLimitPerMinute: r.rate_limit_per_minute, monthlyQuotas: r.monthly_quotas, automationLimits: r.automation_limits, monthlyTokenBudget: Number(r.monthly_token_budget) }]))).toEqual(PLANS);
    const metrics = (await client.query("select unnest(enum_range(null::public.usage_metric))::text as m")).rows.map((r) => r.m);
    expect(metrics).toEqual([...METRICS]);
  } finally {
    await client.end();
  }
});
