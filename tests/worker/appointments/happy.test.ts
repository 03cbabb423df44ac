import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { assignCustomer, seedTenant } from "../../support/seed.ts";
import { auditActions, calendar, createAppointment, createEvent, getJson, meeting, type AppointmentBody, type EventBody } from "../calendar/helpers.ts";

type Page = { data: AppointmentBody[]; nextCursor: string | null };

const booking = (overrides: Record<string, unknown> = {}) => ({
  kind: "meeting",
  title: `Check-up ${crypto.randomUUID().slice(0, 6)}`,
  start: "2030-01-08T09:00:00.000Z",
  end: "2030-01-08T09:45:00.000Z",
  ...overrides,
});

describe("POST /v1/appointments", () => {
  it("books a meeting: the caller's calendar event, its appointment with the customer, attendees, notes; all audited", async () => {
    const t = await seedTenant();
    await assignCustomer(t.id, t.customerRecordId, t.employee.id);
    const token = await t.employee.token();
    const body = booking({ customerId: t.customerRecordId, attendeeIds: [t.colleague.id], notes: "Bring X-rays", location: "Room 2" });
    const appointment = await createAppointment(token, body);
    expect(appointment).toMatchObject({
      kind: "meeting",
      title: body.title,
      status: "scheduled",
      start: body.start,
      end: body.end,
      ownerId: t.employee.id,
      customerId: t.customerRecordId,
      attendees: [t.colleague.id],
      notes: "Bring X-rays",
      location: "Room 2",
      cancelledAt: null,
    });
    const event = await getJson<EventBody>(`/v1/calendar/events/${appointment.eventId}`, token);
    expect(event).toMatchObject({ kind: "meeting", title: body.title, ownerId: t.employee.id, appointmentId: appointment.id });
    expect(await auditActions(t.id, appointment.id)).toEqual([
      { action: "appointments.insert", actor_id: t.employee.id },
      { action: "appointments.update", actor_id: t.employee.id },
    ]);
    expect((await auditActions(t.id, appointment.eventId)).map((a) => a.action)).toEqual(["calendar_events.insert", "calendar_event_attendees.insert"]);
  });

  it("is idempotent: the same Idempotency-Key twice makes one event and one appointment", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const body = booking({ kind: "call" });
    const first = await createAppointment(token, body, headers);
    const again = await call("/v1/appointments", { token, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(first);
    const counts = await withAdmin((c) =>
      c.query(
        `select (select count(*)::int from public.calendar_events where tenant_id = $1) as events,
                (select count(*)::int from public.appointments where tenant_id = $1) as appointments`,
        [t.id],
      ),
    );
    expect(counts.rows[0]).toEqual({ events: 1, appointments: 1 });
  });
});

describe("PATCH /v1/appointments/{id}", () => {
  it("title and time go to the event, customer and status to the appointment", async () => {
    const t = await seedTenant();
    await assignCustomer(t.id, t.customerRecordId, t.employee.id);
    const token = await t.employee.token();
    const appointment = await createAppointment(token, booking());
    const moved = { start: "2030-01-09T15:00:00.000Z", end: "2030-01-09T16:00:00.000Z" };
    const res = await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token, body: { ...moved, title: "Follow-up", customerId: t.customerRecordId, status: "completed" } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ ...moved, title: "Follow-up", customerId: t.customerRecordId, status: "completed" });
    expect(await getJson<EventBody>(`/v1/calendar/events/${appointment.eventId}`, token)).toMatchObject({ ...moved, title: "Follow-up" });
    const unlinked = await json<AppointmentBody>(await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token, body: { customerId: null } }));
    expect(unlinked).toMatchObject({ customerId: null, status: "completed", title: "Follow-up" });
  });

  it("an attendee may edit it", async () => {
    const t = await seedTenant();
    const appointment = await createAppointment(await t.employee.token(), booking({ attendeeIds: [t.colleague.id] }));
    const res = await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token: await t.colleague.token(), body: { title: "Renamed by attendee", location: "Call me" } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ title: "Renamed by attendee", location: "Call me", ownerId: t.employee.id });
  });
});

describe("POST /v1/appointments/{id}/cancel", () => {
  it("keeps the appointment as cancelled, cancels its event, and answers the same when repeated", async () => {
    const t = await seedTenant();
    await assignCustomer(t.id, t.customerRecordId, t.employee.id);
    const token = await t.employee.token();
    const appointment = await createAppointment(token, booking({ customerId: t.customerRecordId }));
    const res = await call(`/v1/appointments/${appointment.id}/cancel`, { method: "POST", token });
    expect(res.status).toBe(200);
    const cancelled = await json<AppointmentBody>(res);
    expect(cancelled).toMatchObject({ id: appointment.id, status: "cancelled", customerId: t.customerRecordId });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect((await getJson<EventBody>(`/v1/calendar/events/${appointment.eventId}`, token)).cancelledAt).not.toBeNull();
    expect((await calendar(token)).data).toEqual([]);

    const again = await call(`/v1/appointments/${appointment.id}/cancel`, { method: "POST", token });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(cancelled);
    await expectProblem(await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token, body: { status: "scheduled" } }), 409, "conflict");
    const statusChanges = await withAdmin((c) =>
      c.query("select count(*)::int as n from public.audit_log where tenant_id = $1 and resource_id = $2 and before ->> 'status' = 'scheduled' and after ->> 'status' = 'cancelled'", [t.id, appointment.id]),
    );
    expect(statusChanges.rows[0]!.n).toBe(1);
  });

  it("cancelling the event instead cancels the appointment the same way", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const event = await createEvent(token, meeting());
    expect((await call(`/v1/calendar/events/${event.id}`, { method: "DELETE", token })).status).toBe(204);
    expect(await getJson<AppointmentBody>(`/v1/appointments/${event.appointmentId}`, token)).toMatchObject({ status: "cancelled" });
  });
});

describe("GET /v1/appointments", () => {
  it("lists own and attended appointments by start time, filtered by range and status", async () => {
    const t = await seedTenant();
    const employee = await t.employee.token();
    const colleague = await t.colleague.token();
    const own = await createAppointment(employee, booking({ start: "2030-01-08T09:00:00.000Z", end: "2030-01-08T10:00:00.000Z" }));
    const attended = await createAppointment(colleague, booking({ start: "2030-01-07T09:00:00.000Z", end: "2030-01-07T10:00:00.000Z", attendeeIds: [t.employee.id] }));
    const notMine = await createAppointment(colleague, booking({ start: "2030-01-07T11:00:00.000Z", end: "2030-01-07T12:00:00.000Z" }));
    const later = await createAppointment(employee, booking({ start: "2030-02-01T09:00:00.000Z", end: "2030-02-01T10:00:00.000Z" }));
    await call(`/v1/appointments/${later.id}/cancel`, { method: "POST", token: employee });

    const all = await json<Page>(await call("/v1/appointments", { token: employee }));
    expect(all.data.map((a) => a.id)).toEqual([attended.id, own.id, later.id]);
    expect(all.data.map((a) => a.id)).not.toContain(notMine.id);

    const january = await json<Page>(await call("/v1/appointments?from=2030-01-07T09:30:00Z&to=2030-01-08T09:30:00Z", { token: employee }));
    expect(january.data.map((a) => a.id)).toEqual([attended.id, own.id]);
    const scheduled = await json<Page>(await call("/v1/appointments?status=scheduled", { token: employee }));
    expect(scheduled.data.map((a) => a.id)).toEqual([attended.id, own.id]);
    const cancelled = await json<Page>(await call("/v1/appointments?status=cancelled", { token: employee }));
    expect(cancelled.data.map((a) => a.id)).toEqual([later.id]);
  });

  it("pages with a cursor that stays stable while appointments are added", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    const at = (day: number) => ({ start: `2030-01-${String(day).padStart(2, "0")}T09:00:00.000Z`, end: `2030-01-${String(day).padStart(2, "0")}T10:00:00.000Z` });
    const ids: string[] = [];
    for (const day of [10, 12, 14, 16]) ids.push((await createAppointment(await t.employee.token(), booking(at(day)))).id);
    const first = await json<Page>(await call("/v1/appointments?limit=2", { token }));
    expect(first.data.map((a) => a.id)).toEqual(ids.slice(0, 2));
    // Meanwhile, concurrently: one booking before the cursor, two after it.
    const [, late1, late2] = await Promise.all([
      createAppointment(await t.colleague.token(), booking(at(11))),
      createAppointment(await t.colleague.token(), booking(at(13))),
      createAppointment(await t.owner.token(), booking(at(20))),
    ]);
    const seen: string[] = [...first.data.map((a) => a.id)];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await json<Page>(await call(`/v1/appointments?limit=2&cursor=${cursor}`, { token }));
      seen.push(...page.data.map((a) => a.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([ids[0], ids[1], late1.id, ids[2], ids[3], late2.id]);
  });
});
