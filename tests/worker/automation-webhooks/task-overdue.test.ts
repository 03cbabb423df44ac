// task.overdue: the overdue scan (job task-overdue-scan, a QStash schedule) writes one event per
// (task, due date) for open tasks whose due date passed, however often and concurrently it runs;
// a rescheduled task can become overdue again; members read it only with tasks.read_all, like the
// other task events; webhooks and workflows subscribe to it.
import { describe, expect, it } from "vitest";
import { TaskOverduePayload } from "../../../shared/schemas/domain-events.ts";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant, type SeededUser } from "../../support/seed.ts";
import { createEndpoint, deliveries, takeQueued } from "./harness.ts";

type Event = { id: string; type: string; subjectId: string; actorId: string | null; payload: Record<string, unknown> };

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function task(t: SeededTenant, body: Record<string, unknown>): Promise<{ id: string; dueAt: string | null }> {
  const res = await call("/v1/tasks", { token: await t.owner.token(), body: { title: "Send the quote", ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res);
}

async function scan(times = 1): Promise<void> {
  const replies = await Promise.all(Array.from({ length: times }, () => deliver("task-overdue-scan", {})));
  for (const r of replies) expect(r.status, await r.clone().text()).toBe(200);
}

async function overdue(t: SeededTenant, as: SeededUser = t.owner): Promise<Event[]> {
  const res = await call("/v1/automation/events?limit=200", { token: await as.token() });
  expect(res.status).toBe(200);
  return (await json<{ data: Event[] }>(res)).data.filter((e) => e.type === "task.overdue").reverse();
}

describe("task.overdue", { timeout: 90_000 }, () => {
  it("is written once per (task, due date) under 3× concurrent delivery, for open tasks only; a rescheduled task is overdue again", async () => {
    const t = await seedTenant();
    const late = await task(t, { dueAt: ago(10), assignedTo: t.employee.id });
    const done = await task(t, { dueAt: ago(10) });
    await call(`/v1/tasks/${done.id}`, { method: "PATCH", token: await t.owner.token(), body: { status: "done" } });
    const deleted = await task(t, { dueAt: ago(10) });
    expect((await call(`/v1/tasks/${deleted.id}`, { method: "DELETE", token: await t.owner.token() })).status).toBeLessThan(300);
    await task(t, { dueAt: new Date(Date.now() + 3600_000).toISOString() });
    await task(t, { dueAt: ago(8 * 24 * 60) });
    await task(t, {});
    const endpoint = await createEndpoint(t, { eventTypes: ["task.overdue"] });

    await scan(3);
    await scan();
    const events = await overdue(t);
    expect(events.map((e) => e.subjectId)).toEqual([late.id]);
    const payload = TaskOverduePayload.parse(events[0]!.payload);
    expect(payload).toMatchObject({ id: late.id, status: "open", assignedTo: t.employee.id, dueAt: new Date(late.dueAt!).toISOString() });
    expect(events[0]!.actorId).toBeNull();
    // Webhooks subscribed to it get one delivery.
    expect((await deliveries(t, endpoint.id)).map((d) => d.eventType)).toEqual(["task.overdue"]);
    await takeQueued(t.id);

    // Rescheduled (still in the past): overdue again, for the new due date; completing and
    // reopening with the same due date is not a new one.
    const newDue = ago(3);
    expect((await call(`/v1/tasks/${late.id}`, { method: "PATCH", token: await t.owner.token(), body: { dueAt: newDue } })).status).toBe(200);
    await scan(3);
    await call(`/v1/tasks/${late.id}`, { method: "PATCH", token: await t.owner.token(), body: { status: "done" } });
    await call(`/v1/tasks/${late.id}`, { method: "PATCH", token: await t.owner.token(), body: { status: "open" } });
    await scan();
    expect((await overdue(t)).map((e) => e.payload.dueAt)).toEqual([new Date(late.dueAt!).toISOString(), new Date(newDue).toISOString()]);
    const stored = await withAdmin((c) => c.query("select count(*)::int as n from public.domain_events where tenant_id = $1 and type = 'task.overdue'", [t.id]));
    expect(stored.rows[0].n).toBe(2);
    await takeQueued(t.id);
  });

  it("is read only where the task is (tasks.read_all), and never from another business", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    const late = await task(t, { dueAt: ago(5) });
    await scan();
    expect((await overdue(t)).map((e) => e.subjectId)).toEqual([late.id]);
    expect((await overdue(t, t.manager)).map((e) => e.subjectId)).toEqual([late.id]);
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'tasks.read_all', false)", [t.id, t.manager.id]));
    const asManager = await call("/v1/automation/events?limit=200", { token: await t.manager.token() });
    expect(asManager.status).toBe(200);
    const seen = (await json<{ data: Event[] }>(asManager)).data;
    expect(seen.some((e) => e.type.startsWith("task."))).toBe(false);
    expect(await overdue(other)).toEqual([]);
    expect(JSON.stringify(await json(await call("/v1/automation/events?limit=200", { token: await other.owner.token() })))).not.toContain(late.id);
    await takeQueued(t.id);
  });

  it("starts the workflows subscribed to it once per event", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const created = await call("/v1/automation/workflows", { token, body: { name: "Chase overdue", trigger: { type: "event", eventType: "task.overdue" }, actions: [{ type: "generate_summary" }] } });
    expect(created.status, await created.clone().text()).toBe(201);
    const wf = await json<{ id: string }>(created);
    expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token })).status).toBe(200);
    const late = await task(t, { dueAt: ago(1) });
    await scan(3);
    const executions = await withAdmin((c) =>
      c.query("select x.trigger_payload ->> 'event' as event, x.trigger_payload ->> 'subjectId' as subject from public.workflow_executions x where x.tenant_id = $1 and x.workflow_id = $2", [t.id, wf.id]),
    );
    expect(executions.rows).toEqual([{ event: "task.overdue", subject: late.id }]);
  });
});
