// Workflow routes: versions, activation with its QStash schedule, permissions and isolation.
import { Client } from "@upstash/qstash";
import { describe, expect, inject, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createWorkflow, run, type Workflow } from "./helpers.ts";

const qstash = () => {
  const b = inject("workerBindings") as Record<string, string>;
  return new Client({ baseUrl: b.QSTASH_URL, token: b.QSTASH_TOKEN });
};
const schedule = async (id: string) => (await qstash().schedules.list()).find((s) => s.scheduleId === `wf:${id}`);

describe("workflow routes", { timeout: 60_000 }, () => {
  it("an update is a new version; executions keep the version they started with", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const wf = await createWorkflow(t, { name: "Report", trigger: { type: "manual" }, actions: [{ type: "aggregate_tasks" }] });
    expect(wf).toMatchObject({ currentVersion: 1, active: false, actions: [{ type: "aggregate_tasks" }] });
    const first = await run(t, wf.id);
    const res = await call(`/v1/automation/workflows/${wf.id}`, { method: "PATCH", token, body: { name: "Report v2", actions: [{ type: "aggregate_tasks" }, { type: "generate_summary" }] } });
    expect(res.status).toBe(200);
    const v2 = await json<Workflow>(res);
    expect(v2).toMatchObject({ name: "Report v2", currentVersion: 2, trigger: { type: "manual" }, actions: [{ type: "aggregate_tasks" }, { type: "generate_summary", title: "Summary" }] });
    const second = await run(t, wf.id);
    expect([first.version, first.stepCount, second.version, second.stepCount]).toEqual([1, 1, 2, 2]);
    const versions = await withAdmin((c) => c.query("select version, actions from public.workflow_versions where workflow_id = $1 order by version", [wf.id]));
    expect(versions.rows.map((r) => [r.version, r.actions.length])).toEqual([[1, 1], [2, 2]]);
    const list = await json<{ data: { id: string }[] }>(await call(`/v1/automation/workflows/${wf.id}/executions`, { token }));
    expect(list.data.map((e) => e.id)).toEqual([second.id, first.id]);
  });

  it("validates definitions with field paths: cron, time zone, action types", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const bad = await call("/v1/automation/workflows", {
      method: "POST",
      token,
      body: { name: "x", trigger: { type: "scheduled", cron: "every morning", timeZone: "Mars/Olympus" }, actions: [{ type: "launch_rockets" }] },
    });
    const problem = await expectProblem(bad, 400, "bad_request");
    const paths = (problem.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["body.trigger.cron", "body.trigger.timeZone", "body.actions.0.type"]));
  });

  it("activating a scheduled workflow creates its QStash schedule wf:{id} in its time zone; deactivating removes it", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const wf = await createWorkflow(t, { name: "Morning", trigger: { type: "scheduled", cron: "0 8 * * *", timeZone: "Europe/Berlin" }, actions: [{ type: "aggregate_tasks" }] });
    expect(await schedule(wf.id)).toBeUndefined();
    expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token })).status).toBe(200);
    const created = await schedule(wf.id);
    expect(created).toMatchObject({ cron: "CRON_TZ=Europe/Berlin 0 8 * * *" });
    expect(created!.destination).toMatch(/\/hooks\/qstash\/workflow-schedule$/);
    expect(JSON.parse(created!.body!)).toEqual({ tenantId: t.id, workflowId: wf.id });
    // A new version with another cron updates the same schedule.
    await call(`/v1/automation/workflows/${wf.id}`, { method: "PATCH", token, body: { trigger: { type: "scheduled", cron: "30 7 * * 1-5", timeZone: "America/Los_Angeles" } } });
    expect(await schedule(wf.id)).toMatchObject({ cron: "CRON_TZ=America/Los_Angeles 30 7 * * 1-5" });
    expect((await call(`/v1/automation/workflows/${wf.id}/deactivate`, { method: "POST", token })).status).toBe(200);
    expect(await schedule(wf.id)).toBeUndefined();
  });

  it("a schedule fire starts one execution per QStash message, only while active", async () => {
    const { deliver } = await import("../../support/qstash.ts");
    const t = await seedTenant();
    const token = await t.owner.token();
    const wf = await createWorkflow(t, { name: "Fire", trigger: { type: "scheduled", cron: "0 8 * * *", timeZone: "UTC" }, actions: [{ type: "generate_summary" }] });
    const fire = (messageId: string) => deliver("workflow-schedule", { tenantId: t.id, workflowId: wf.id }, messageId).then((r) => json<{ result: { executionId: string | null } }>(r));
    expect((await fire("msg_inactive")).result.executionId).toBeNull();
    await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token });
    const a = await fire("msg_a");
    const again = await fire("msg_a");
    const b = await fire("msg_b");
    expect(a.result.executionId).toBeTruthy();
    expect(again.result.executionId).toBe(a.result.executionId);
    expect(b.result.executionId).not.toBe(a.result.executionId);
    await call(`/v1/automation/workflows/${wf.id}/deactivate`, { method: "POST", token });
  });

  it("permissions: employees are refused (403) reads and writes; managers read but may not manage; another tenant's workflow is 404", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    const wf = await createWorkflow(t, { name: "Mine", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] });
    const theirs = await createWorkflow(other, { name: "Theirs", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] });
    const employee = await t.employee.token();
    const manager = await t.manager.token();
    const owner = await t.owner.token();
    await expectProblem(await call("/v1/automation/workflows", { token: employee }), 403, "forbidden");
    await expectProblem(await call(`/v1/automation/workflows/${wf.id}/run`, { method: "POST", token: employee, body: {} }), 403, "forbidden");
    await expectProblem(await call(`/v1/automation/workflows/${wf.id}`, { method: "PATCH", token: employee, body: { name: "mine now" } }), 403, "forbidden");
    await expectProblem(await call("/v1/automation/workflows", { method: "POST", token: employee, body: { name: "x", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] } }), 403, "forbidden");
    expect((await call(`/v1/automation/workflows/${wf.id}`, { token: manager })).status).toBe(200);
    await expectProblem(await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token: manager }), 403, "forbidden");
    await expectProblem(await call(`/v1/automation/workflows/${wf.id}/webhook`, { token: manager }), 403, "forbidden");
    for (const [method, path, body] of [
      ["GET", `/v1/automation/workflows/${theirs.id}`, undefined],
      ["PATCH", `/v1/automation/workflows/${theirs.id}`, { name: "hijacked" }],
      ["POST", `/v1/automation/workflows/${theirs.id}/activate`, undefined],
      ["POST", `/v1/automation/workflows/${theirs.id}/run`, {}],
      ["GET", `/v1/automation/workflows/${theirs.id}/executions`, undefined],
      ["GET", `/v1/automation/workflows/${theirs.id}/webhook`, undefined],
    ] as const) {
      await expectProblem(await call(path, { method, token: owner, body }), 404, "not_found");
    }
    // automation.manage granted alone does not read through a workflow what RLS hides: no data
    // actions without the matching read_all, and step outputs stay hidden.
    await withAdmin((c) =>
      c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'automation.manage', true)", [t.id, t.employee.id]),
    );
    const define = (actions: object[]) =>
      call("/v1/automation/workflows", { method: "POST", token: employee, body: { name: "peek", trigger: { type: "manual" }, actions } });
    await expectProblem(await define([{ type: "find_appointments" }]), 403, "forbidden");
    await expectProblem(await define([{ type: "generate_summary" }, { type: "aggregate_tasks" }]), 403, "forbidden");
    await expectProblem(await call(`/v1/automation/workflows/${wf.id}`, { method: "PATCH", token: employee, body: { actions: [{ type: "aggregate_tasks" }] } }), 403, "forbidden");
    const allowed = await define([{ type: "generate_summary" }]);
    expect(allowed.status).toBe(201);
    const ex = await run(t, wf.id);
    const { step } = await import("./helpers.ts");
    await step(t, ex.id, 0);
    const seenByEmployee = await json<{ steps: { output: unknown }[] }>(await call(`/v1/automation/workflows/${wf.id}/executions/${ex.id}`, { token: employee }));
    expect(seenByEmployee.steps[0]!.output).toBeNull();
    const seenByOwner = await json<{ steps: { output: unknown }[] }>(await call(`/v1/automation/workflows/${wf.id}/executions/${ex.id}`, { token: owner }));
    expect(seenByOwner.steps[0]!.output).toMatchObject({ summary: { title: "Summary" } });

    const untouched = await withAdmin((c) => c.query("select name, active, current_version from public.workflows where id = $1", [theirs.id]));
    expect(untouched.rows[0]).toEqual({ name: "Theirs", active: false, current_version: 1 });
    expect((await withAdmin((c) => c.query("select count(*)::int as n from public.workflow_executions where workflow_id = $1", [theirs.id]))).rows[0].n).toBe(0);
  });
});
