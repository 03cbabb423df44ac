// The plan's monthly task_runs quota (shared/plans.ts). Each execution is one task run, metered
// when its first step is first claimed (runner.ts). A manual run over quota is refused at the
// route (429 quota_exceeded); executions started by an event, a schedule or a webhook exist
// already when their first step is delivered, so the step job records them `refused` with the
// reason and runs no step. Like the api_calls quota, this fails open when Redis cannot answer.
import type { Redis } from "@upstash/redis/cloudflare";
import type { Context } from "hono";
import { ApiError } from "../../../shared/errors.ts";
import { isPlanId, PLANS, type PlanId } from "../../../shared/plans.ts";
import { redisFor } from "../redis.ts";
import { monthKey, monthReset, utcMonth } from "../usage.ts";
import type { AppConfig } from "../../types.ts";

/** Over quota: the reason (with the reset time); under it, or when usage cannot be read: null. */
export async function taskRunQuotaExceeded(redis: Redis, tenantId: string, plan: PlanId, now: Date): Promise<string | null> {
  const used = await redis.hget<number>(monthKey(tenantId, utcMonth(now)), "task_runs").catch(() => null);
  const quota = PLANS[plan].monthlyQuotas.task_runs;
  if (used === null || used === undefined || Number(used) < quota) return null;
  return `quota: task_runs: the ${plan} plan's ${quota} per month are used up; the quota resets at ${monthReset(now).toISOString()}`;
}

export async function refuseOverTaskRunQuota(c: Context<AppConfig>): Promise<void> {
  const now = new Date();
  const claim = c.var.auth.claims.tenant_plan;
  const plan: PlanId = isPlanId(claim) ? claim : "free";
  const reason = await taskRunQuotaExceeded(redisFor(c.var.env), c.var.tenantId, plan, now);
  if (reason) {
    // Who may not run workflows learns nothing about the quota: 403 first.
    const may = await c.var.db.tx((q) => q.one<{ allowed: boolean }>("select private.has_permission('automation.manage') as allowed"));
    if (!may?.allowed) throw new ApiError("forbidden", "workflows are run by members with automation.manage");
    const retry = Math.max(1, Math.ceil((monthReset(now).getTime() - now.getTime()) / 1000));
    throw new ApiError("quota_exceeded", reason.replace(/^quota: /, ""), { headers: { "Retry-After": String(retry) } });
  }
}
