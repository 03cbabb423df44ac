// The seam for the domain event log (another branch): private.workflow_handle_event() starts an
// execution of every active workflow whose rule names the event type, once per (version, event).
// Also: what executions meter.
import { describe, expect, it } from "vitest";
import { monthKey, utcMonth } from "../../../functions/lib/usage.ts";
import { withAdmin } from "../../support/db.ts";
import { call } from "../../support/http.ts";
import { testRedis } from "../../support/redis.ts";
import { seedTenant } from "../../support/seed.ts";
import { createWorkflow, run, step } from "./helpers.ts";

/** Calls the seam as the event log's trigger or job would: the definer function, in its own transaction. */
const handleEvent = (tenantId: string, type: string, eventId: string, payload: object) =>
  withAdmin(async (c) => {
    const res = await c.query<{ id: string }>("select private.workflow_handle_event($1, $2, $3, $4) as id", [tenantId, type, eventId, JSON.stringify(payload)]);
    return res.rows.map((r) => r.id).filter(Boolean);
  });

describe("event triggers", { timeout: 60_000 }, () => {
  it("a change through the API starts the workflows its event names, in the same transaction", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const wf = await createWorkflow(t, { name: "On new task", trigger: { type: "event", eventType: "task.created" }, actions: [{ type: "generate_summary" }] });
    await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token });
    const created = await call("/v1/tasks", { method: "POST", token, body: { title: "Order gloves" } });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: string };
    const rows = await withAdmin((c) =>
      c.query(
        `select x.trigger_kind, x.trigger_payload ->> 'event' as event, x.trigger_payload ->> 'subjectId' as subject, e.id::text = substr(x.trigger_id, 7) as same_event
         from public.workflow_executions x join public.domain_events e on e.tenant_id = x.tenant_id and e.type = 'task.created' and e.subject_id = $2
         where x.tenant_id = $1 and x.workflow_id = $3`,
        [t.id, task.id, wf.id],
      ),
    );
    expect(rows.rows).toEqual([{ trigger_kind: "event", event: "task.created", subject: task.id, same_event: true }]);
  });

  it("an event starts each active matching workflow once, in its own tenant only", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    const token = await t.owner.token();
    const body = { name: "Follow up", trigger: { type: "event", eventType: "appointment.completed" }, actions: [{ type: "generate_summary" }] };
    const wf = await createWorkflow(t, body);
    const theirs = await createWorkflow(other, body);
    const rules = await withAdmin((c) => c.query("select tenant_id, event_type from public.automation_rules where workflow_id = $1", [wf.id]));
    expect(rules.rows).toEqual([{ tenant_id: t.id, event_type: "appointment.completed" }]);
    const eventId = crypto.randomUUID();
    expect(await handleEvent(t.id, "appointment.completed", eventId, { appointmentId: "a" })).toEqual([]); // inactive
    await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token });
    await call(`/v1/automation/workflows/${theirs.id}/activate`, { method: "POST", token: await other.owner.token() });
    const started = await handleEvent(t.id, "appointment.completed", eventId, { appointmentId: "a" });
    expect(started).toHaveLength(1);
    expect(await handleEvent(t.id, "appointment.completed", eventId, { appointmentId: "a" })).toEqual(started);
    expect(await handleEvent(t.id, "task.completed", crypto.randomUUID(), {})).toEqual([]);
    const rows = await withAdmin((c) => c.query("select workflow_id, trigger_kind, trigger_id from public.workflow_executions where tenant_id = any($1)", [[t.id, other.id]]));
    expect(rows.rows).toEqual([{ workflow_id: wf.id, trigger_kind: "event", trigger_id: `event:${eventId}` }]);
    // A new version drops the rule when its trigger is no longer an event.
    await call(`/v1/automation/workflows/${wf.id}`, { method: "PATCH", token, body: { trigger: { type: "manual" } } });
    expect((await withAdmin((c) => c.query("select 1 from public.automation_rules where workflow_id = $1", [wf.id]))).rows).toEqual([]);
  });

  it("meters one task run per execution and one successful outcome per succeeded execution", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, { name: "Metered", trigger: { type: "manual" }, actions: [{ type: "aggregate_tasks" }, { type: "generate_summary" }] });
    const key = monthKey(t.id, utcMonth(new Date()));
    const ex = await run(t, wf.id);
    await Promise.all([step(t, ex.id, 0), step(t, ex.id, 0)]);
    await Promise.all([step(t, ex.id, 1), step(t, ex.id, 1)]);
    const usage = await testRedis().hgetall<Record<string, number>>(key);
    expect(Number(usage?.task_runs)).toBe(1);
    expect(Number(usage?.successful_outcomes)).toBe(1);
  });
});
