// The domain-event log: API changes write their events in the same transaction, with the object
// as the API shows it (never a token hash), one event per change a client would notice.
import { describe, expect, it } from "vitest";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { createAppointment } from "../calendar/helpers.ts";

type Event = { type: string; subjectId: string; actorId: string | null; payload: Record<string, unknown> };

async function eventsOf(t: SeededTenant, subjectId: string): Promise<Event[]> {
  const res = await call("/v1/automation/events?limit=200", { token: await t.owner.token() });
  expect(res.status).toBe(200);
  return (await json<{ data: Event[] }>(res)).data.filter((e) => e.subjectId === subjectId).reverse();
}

describe("domain events", { timeout: 60_000 }, () => {
  it("appointments: created, updated, completed; cancelled; a no-op change writes nothing", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const booking = { kind: "call", title: "Intake", start: "2031-03-04T09:00:00Z", end: "2031-03-04T09:30:00Z" };
    const a = await createAppointment(token, booking);
    expect((await call(`/v1/appointments/${a.id}`, { method: "PATCH", token, body: { title: "Intake call" } })).status).toBe(200);
    expect((await call(`/v1/appointments/${a.id}`, { method: "PATCH", token, body: { title: "Intake call" } })).status).toBe(200);
    expect((await call(`/v1/appointments/${a.id}`, { method: "PATCH", token, body: { status: "completed" } })).status).toBe(200);
    const events = await eventsOf(t, a.id);
    expect(events.map((e) => e.type)).toEqual(["appointment.created", "appointment.updated", "appointment.completed"]);
    expect(events[1]!.payload).toMatchObject({ id: a.id, title: "Intake call", status: "scheduled", start: expect.any(String) });
    expect(events.every((e) => e.actorId === t.owner.id)).toBe(true);

    const b = await createAppointment(token, { ...booking, start: "2031-03-05T09:00:00Z", end: "2031-03-05T09:30:00Z" });
    expect((await call(`/v1/appointments/${b.id}/cancel`, { method: "POST", token })).status).toBe(200);
    expect((await eventsOf(t, b.id)).map((e) => e.type)).toEqual(["appointment.created", "appointment.cancelled"]);
  });

  it("tasks: created, updated, completed", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const created = await call("/v1/tasks", { token, body: { title: "Call back" } });
    expect(created.status).toBe(201);
    const task = await json<{ id: string }>(created);
    await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { status: "in_progress" } });
    await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { status: "done" } });
    const events = await eventsOf(t, task.id);
    expect(events.map((e) => e.type)).toEqual(["task.created", "task.updated", "task.completed"]);
    expect(events[2]!.payload).toMatchObject({ id: task.id, title: "Call back", status: "done" });
  });

  it("members: invited (without the token hash) and joined", async () => {
    const t = await seedTenant();
    const res = await call("/v1/members/invitations", { method: "POST", token: await t.owner.token(), body: { email: `new-${crypto.randomUUID().slice(0, 6)}@example.com`, role: "employee" } });
    expect(res.status).toBe(201);
    const invitation = await json<{ id: string; email: string }>(res);
    const [invited] = await eventsOf(t, invitation.id);
    expect(invited).toMatchObject({ type: "member.invited", payload: { id: invitation.id, email: invitation.email, role: "employee" } });
    expect(Object.keys(invited!.payload)).not.toContain("tokenHash");
    expect(JSON.stringify(invited)).not.toMatch(/token_hash|\\\\x/);
    // A manager reads the log, but not invitations (members.manage): not through the log either.
    const asManager = await json<{ data: Event[] }>(await call("/v1/automation/events?limit=200", { token: await t.manager.token() }));
    expect(asManager.data.length).toBeGreaterThan(0);
    expect(asManager.data.some((e) => e.type === "member.invited")).toBe(false);
    // A membership written any way (here directly, as SCIM or acceptance would) is member.joined.
    const user = crypto.randomUUID();
    await withAdmin(async (c) => {
      await c.query("insert into auth.users (id, email) values ($1, $2)", [user, `${user}@example.com`]);
      await c.query("insert into public.memberships (tenant_id, user_id, role, email) values ($1, $2, 'employee', $3)", [t.id, user, `${user}@example.com`]);
      await c.query("update public.job_outbox set published_at = now(), message_id = 'taken-by-test' where tenant_id = $1 and published_at is null", [t.id]);
    });
    expect((await eventsOf(t, user)).map((e) => [e.type, e.payload.userId])).toEqual([["member.joined", user]]);
  });

  it("nobody writes or changes the log through SQL as authenticated", async () => {
    const t = await seedTenant();
    const claims = { sub: t.owner.id, role: "authenticated", tenant_id: t.id };
    await expect(asAuthenticated(claims, (c) => c.query(
      "insert into public.domain_events (tenant_id, type, subject_id, payload) values ($1, 'task.created', $2, '{}')", [t.id, t.owner.id],
    ))).rejects.toThrow(/permission denied|row-level security/);
    await expect(asAuthenticated(claims, (c) => c.query("update public.domain_events set payload = '{}'"))).rejects.toThrow(/permission denied/);
  });

  it("a member with automation.read but without customers.read_all does not read customers through the log", async () => {
    const t = await seedTenant();
    await call("/v1/customers", { method: "POST", token: await t.owner.token(), body: { name: "Hidden" } });
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'customers.read_all', false)", [t.id, t.manager.id]));
    const res = await call("/v1/automation/events?limit=200", { token: await t.manager.token() });
    expect(res.status).toBe(200);
    const events = (await json<{ data: Event[] }>(res)).data;
    expect(events.some((e) => e.type.startsWith("customer."))).toBe(false);
    expect(events.some((e) => e.type.startsWith("appointment.") || e.type.startsWith("task.") || e.type === "member.joined")).toBe(true);
  });
});
