// Built-in templates: listed with automation.read, turned on and off with automation.manage in one
// call, idempotently and audited; what each template does when on or off.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { assignCustomer, seedTenant, type SeededTenant } from "../../support/seed.ts";
import { sinkMessages } from "../../support/sink.ts";
import { outboxRows, seedAppointment } from "./support.ts";

type Template = { key: string; title: string; description: string; enabled: boolean; enabledAt: string | null; updatedAt: string | null; workflowId: string | null };

const toggle = async (t: SeededTenant, key: string, verb: "enable" | "disable", token?: string) => {
  const res = await call(`/v1/automation/templates/${key}/${verb}`, { method: "POST", token: token ?? (await t.owner.token()) });
  return res;
};
const list = async (t: SeededTenant) => {
  const res = await call("/v1/automation/templates", { token: await t.owner.token() });
  expect(res.status).toBe(200);
  return (await json<{ data: Template[] }>(res)).data;
};
const audit = async (t: SeededTenant, resource: string) =>
  (await withAdmin((c) => c.query<{ action: string; resource_id: string; actor_id: string | null }>("select action, resource_id, actor_id from public.audit_log where tenant_id = $1 and resource_type = $2 order by id", [t.id, resource]))).rows;

describe("built-in automation templates", { timeout: 120_000 }, () => {
  it("lists the three templates; reminders are on by default, the others off", async () => {
    const t = await seedTenant();
    const data = await list(t);
    expect(data.map((d) => [d.key, d.enabled, d.workflowId])).toEqual([
      ["appointment_reminders", true, null],
      ["appointment_follow_up", false, null],
      ["daily_digest", false, null],
    ]);
    for (const d of data) expect(d.title.length).toBeGreaterThan(0);
  });

  it("enabling and disabling are idempotent and audited once per change", async () => {
    const t = await seedTenant();
    const first = await toggle(t, "daily_digest", "enable");
    expect(first.status).toBe(200);
    const on = await json<Template>(first);
    expect(on).toMatchObject({ key: "daily_digest", enabled: true });
    const again = await json<Template>(await toggle(t, "daily_digest", "enable"));
    expect(again).toEqual(on);
    expect(await audit(t, "automation_templates")).toEqual([{ action: "automation_templates.insert", resource_id: "daily_digest", actor_id: t.owner.id }]);
    expect((await json<Template>(await toggle(t, "daily_digest", "disable"))).enabled).toBe(false);
    expect((await json<Template>(await toggle(t, "daily_digest", "disable"))).enabled).toBe(false);
    expect((await audit(t, "automation_templates")).map((a) => a.action)).toEqual(["automation_templates.insert", "automation_templates.update"]);
    expect((await list(t)).find((d) => d.key === "daily_digest")?.enabled).toBe(false);
    // An Idempotency-Key replays the first answer.
    const key = crypto.randomUUID();
    const token = await t.owner.token();
    const a = await call("/v1/automation/templates/daily_digest/enable", { method: "POST", token, headers: { "idempotency-key": key } });
    const b = await call("/v1/automation/templates/daily_digest/enable", { method: "POST", token, headers: { "idempotency-key": key } });
    expect(await b.json()).toEqual(await a.json());
  });

  it("needs automation.read to list and automation.manage to change; another business is untouched", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    await expectProblem(await call("/v1/automation/templates", { token: await t.employee.token() }), 403, "forbidden");
    await expectProblem(await call("/v1/automation/templates", { token: await t.customer.token() }), 403, "forbidden");
    expect((await call("/v1/automation/templates", { token: await t.manager.token() })).status).toBe(200);
    for (const u of [t.manager, t.employee, t.customer]) {
      await expectProblem(await toggle(t, "daily_digest", "enable", await u.token()), 403, "forbidden");
      await expectProblem(await toggle(t, "appointment_reminders", "disable", await u.token()), 403, "forbidden");
    }
    // An unknown template is a validation error for a manager, and still 403 for an employee.
    await expectProblem(await toggle(t, "world_domination", "enable"), 400, "bad_request");
    await expectProblem(await toggle(t, "world_domination", "enable", await t.employee.token()), 403, "forbidden");
    expect((await withAdmin((c) => c.query("select 1 from public.automation_templates where tenant_id = $1", [t.id]))).rowCount).toBe(0);
    expect((await toggle(t, "daily_digest", "enable")).status).toBe(200);
    expect((await list(other)).find((d) => d.key === "daily_digest")?.enabled).toBe(false);
  });

  it("appointment_reminders off: no reminders are queued, and queued ones are not sent; on again: they are", async () => {
    const t = await seedTenant();
    const queued = await seedAppointment(t, 3 * 60);
    const [row] = await outboxRows(t.id, "appointment-reminder");
    expect(row).toBeDefined();
    expect((await json<Template>(await toggle(t, "appointment_reminders", "disable"))).enabled).toBe(false);
    const reply = await json<{ result: { outcome: string } }>(await deliver("appointment-reminder", row!.payload));
    expect(reply.result.outcome).toBe("stale");
    const before = (await outboxRows(t.id, "appointment-reminder")).length;
    await seedAppointment(t, 5 * 60);
    expect(await outboxRows(t.id, "appointment-reminder")).toHaveLength(before);
    expect((await json<Template>(await toggle(t, "appointment_reminders", "enable"))).enabled).toBe(true);
    await seedAppointment(t, 7 * 60);
    expect((await outboxRows(t.id, "appointment-reminder")).length).toBeGreaterThan(before);
    const sent = await json<{ result: { outcome: string } }>(await deliver("appointment-reminder", row!.payload));
    expect(sent.result.outcome).toBe("delivered");
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(1);
    expect(queued.appointmentId).toBe(row!.payload.appointmentId);
  });

  it("appointment_follow_up is a workflow: a completed appointment drafts a follow-up for its staff member, never the customer", async () => {
    const t = await seedTenant();
    const res = await toggle(t, "appointment_follow_up", "enable");
    expect(res.status, await res.clone().text()).toBe(200);
    const on = await json<Template>(res);
    expect(on.enabled).toBe(true);
    expect(on.workflowId).toMatch(/^[0-9a-f-]{36}$/);
    // Enabling again keeps the same workflow; it is an ordinary workflow, flagged with its template.
    expect((await json<Template>(await toggle(t, "appointment_follow_up", "enable"))).workflowId).toBe(on.workflowId);
    const wf = await json<{ active: boolean; templateKey: string; trigger: unknown; actions: unknown[] }>(
      await call(`/v1/automation/workflows/${on.workflowId}`, { token: await t.owner.token() }),
    );
    expect(wf).toMatchObject({ active: true, templateKey: "appointment_follow_up", trigger: { type: "event", eventType: "appointment.completed" }, actions: [{ type: "draft_follow_up" }] });

    const token = await t.employee.token();
    await assignCustomer(t.id, t.customerRecordId, t.employee.id);
    const created = await call("/v1/appointments", {
      token,
      body: { kind: "meeting", title: "Crown fitting", start: "2030-01-08T09:00:00.000Z", end: "2030-01-08T09:45:00.000Z", customerId: t.customerRecordId },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const appointment = await json<{ id: string }>(created);
    const done = await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token, body: { status: "completed" } });
    expect(done.status, await done.clone().text()).toBe(200);

    const executions = await json<{ data: { id: string; status: string }[] }>(await call(`/v1/automation/workflows/${on.workflowId}/executions`, { token: await t.owner.token() }));
    expect(executions.data).toHaveLength(1);
    const executionId = executions.data[0]!.id;
    for (let i = 0; i < 3; i++) {
      const r = await deliver("workflow-step", { tenantId: t.id, executionId, stepIndex: 0, attempt: 1 });
      expect(r.status).toBe(200);
    }
    const ex = await json<{ status: string; steps: { status: string; attempts: number; output: { draft: { userId: string; subject: string; text: string } } }[] }>(
      await call(`/v1/automation/workflows/${on.workflowId}/executions/${executionId}`, { token: await t.owner.token() }),
    );
    expect(ex.status).toBe("succeeded");
    expect(ex.steps[0]).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(ex.steps[0]!.output.draft).toMatchObject({ userId: t.employee.id, subject: "Follow-up draft: Crown fitting (2030-01-08)" });
    expect(ex.steps[0]!.output.draft.text).toContain(`Hello Customer of ${t.slug}`);
    const messages = await sinkMessages({ recipient: t.employee.email });
    expect(messages.map((m) => m.subject)).toEqual(["Follow-up draft: Crown fitting (2030-01-08)"]);
    expect(await sinkMessages({ recipient: `buyer@${t.slug}.test` })).toEqual([]);

    // Off: the workflow is deactivated (kept, with its executions); the next completion starts nothing.
    const off = await json<Template>(await toggle(t, "appointment_follow_up", "disable"));
    expect(off).toMatchObject({ enabled: false, workflowId: on.workflowId });
    const second = await json<{ id: string }>(
      await call("/v1/appointments", { token, body: { kind: "meeting", title: "Check-up", start: "2030-01-09T09:00:00.000Z", end: "2030-01-09T09:45:00.000Z" } }),
    );
    await call(`/v1/appointments/${second.id}`, { method: "PATCH", token, body: { status: "completed" } });
    const after = await json<{ data: unknown[] }>(await call(`/v1/automation/workflows/${on.workflowId}/executions`, { token: await t.owner.token() }));
    expect(after.data).toHaveLength(1);
    // Created (inert, manual), its first version set the trigger kind, then deactivated.
    expect((await audit(t, "workflows")).map((a) => a.action)).toEqual(["workflows.insert", "workflows.update", "workflows.update"]);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await json<{ paths: Record<string, Record<string, { operationId?: string }>> }>(await call("/openapi.json"));
    expect(Object.keys(doc.paths["/v1/automation/templates"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/v1/automation/templates/{key}/enable"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/automation/templates/{key}/disable"] ?? {})).toEqual(["post"]);
  });
});
