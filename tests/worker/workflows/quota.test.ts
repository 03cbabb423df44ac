// The plan's monthly task_runs quota (shared/plans.ts): a manual run over it is 429
// quota_exceeded and starts nothing; an execution started by an event or a webhook over it is
// recorded `refused` with the reason, and no step runs.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { monthKey, utcMonth } from "../../../functions/lib/usage.ts";
import { PLANS } from "../../../shared/plans.ts";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { testRedis } from "../../support/redis.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { createWorkflow, execution, step } from "./helpers.ts";

const useUp = (t: SeededTenant) => testRedis().hset(monthKey(t.id, utcMonth(new Date())), { task_runs: PLANS.free.monthlyQuotas.task_runs });
const taskRuns = async (t: SeededTenant) => Number((await testRedis().hget(monthKey(t.id, utcMonth(new Date())), "task_runs")) ?? 0);

describe("task_runs quota", { timeout: 90_000 }, () => {
  it("a manual run over quota is 429 quota_exceeded with Retry-After, and nothing starts", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, { name: "Manual", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] });
    await useUp(t);
    const res = await call(`/v1/automation/workflows/${wf.id}/run`, { method: "POST", token: await t.owner.token(), body: {} });
    await expectProblem(res, 429, "quota_exceeded");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // A member who may not run workflows is refused as ever (403), learning nothing of the quota.
    await expectProblem(await call(`/v1/automation/workflows/${wf.id}/run`, { method: "POST", token: await t.manager.token(), body: {} }), 403, "forbidden");
    expect((await withAdmin((c) => c.query("select count(*)::int as n from public.workflow_executions where workflow_id = $1", [wf.id]))).rows[0].n).toBe(0);
  });

  it("an event-started execution over quota is refused with the reason, no step runs", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const wf = await createWorkflow(t, { name: "On task", trigger: { type: "event", eventType: "task.created" }, actions: [{ type: "generate_summary" }, { type: "generate_summary" }] });
    expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token })).status).toBe(200);
    await useUp(t);
    expect((await call("/v1/tasks", { method: "POST", token, body: { title: "Over quota" } })).status).toBe(201);
    const [row] = (await withAdmin((c) => c.query<{ id: string }>("select id from public.workflow_executions where workflow_id = $1", [wf.id]))).rows;
    expect(await step(t, row!.id, 0)).toEqual({ outcome: "refused", reason: "quota" });
    // A duplicate delivery changes nothing.
    expect(await step(t, row!.id, 0)).toMatchObject({ reason: "quota" });
    const ex = await execution(t, wf.id, row!.id);
    expect(ex.status).toBe("refused");
    expect(ex.error).toMatch(/^quota: task_runs/);
    expect(ex.steps.map((s) => [s.status, s.attempts, s.output])).toEqual([["cancelled", 0, null], ["cancelled", 0, null]]);
    expect(await taskRuns(t)).toBe(PLANS.free.monthlyQuotas.task_runs);
  });

  it("a webhook-started execution over quota is refused too", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const wf = await createWorkflow(t, { name: "Hook", trigger: { type: "webhook" }, actions: [{ type: "generate_summary" }] });
    expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token })).status).toBe(200);
    const { secret } = await json<{ secret: string }>(await call(`/v1/automation/workflows/${wf.id}/webhook`, { token }));
    await useUp(t);
    const id = `msg_${crypto.randomUUID()}`;
    const at = new Date();
    const res = await call(`/hooks/workflows/${wf.id}`, {
      method: "POST",
      rawBody: "{}",
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, at, "{}") },
    });
    expect(res.status).toBe(202);
    const { executionId } = await json<{ executionId: string }>(res);
    expect(await step(t, executionId, 0)).toEqual({ outcome: "refused", reason: "quota" });
    expect((await execution(t, wf.id, executionId)).status).toBe("refused");
  });
});
