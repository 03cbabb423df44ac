import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { auditActions, calendar, createEvent, getJson, meeting, WEEK, type AppointmentBody, type EventBody } from "./helpers.ts";

describe("POST /v1/calendar/events", () => {
  it("creates a meeting owned by the caller, and the database makes it an appointment; both are audited", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const body = meeting({ attendeeIds: [t.colleague.id] });
    const event = await createEvent(token, body);
    expect(event).toMatchObject({
      kind: "meeting",
      title: body.title,
      notes: body.notes,
      location: body.location,
      guests: body.guests,
      ownerId: t.employee.id,
      attendees: [t.colleague.id],
      start: body.start,
      end: body.end,
      timezone: "UTC",
      cancelledAt: null,
    });
    expect(event.appointmentId).toMatch(/^[0-9a-f-]{36}$/);
    const appointment = await getJson<AppointmentBody>(`/v1/appointments/${event.appointmentId}`, token);
    expect(appointment).toMatchObject({ eventId: event.id, kind: "meeting", title: body.title, status: "scheduled", start: body.start, end: body.end, ownerId: t.employee.id });

    expect(await auditActions(t.id, event.id)).toEqual(
      expect.arrayContaining([
        { action: "calendar_events.insert", actor_id: t.employee.id },
        { action: "calendar_event_attendees.insert", actor_id: t.employee.id },
      ]),
    );
    expect(await auditActions(t.id, event.appointmentId!)).toEqual([{ action: "appointments.insert", actor_id: t.employee.id }]);
  });

  it("keeps reminders and blocked time calendar-only: no appointment", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    for (const kind of ["reminder", "blocked"]) {
      const event = await createEvent(token, meeting({ kind }));
      expect(event.appointmentId).toBeNull();
    }
    const rows = await withAdmin((c) => c.query("select count(*)::int as n from public.appointments where tenant_id = $1", [t.id]));
    expect(rows.rows[0]!.n).toBe(0);
  });

  it("is idempotent: the same Idempotency-Key twice makes one event and one appointment", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const body = meeting();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await createEvent(token, body, headers);
    const again = await call("/v1/calendar/events", { token, body, headers });
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

describe("PATCH and DELETE /v1/calendar/events/{id}", () => {
  it("moving a meeting moves its appointment; making it a reminder cancels the appointment; a meeting again restores it", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const event = await createEvent(token, meeting());
    const moved = { start: "2030-01-09T14:00:00.000Z", end: "2030-01-09T15:30:00.000Z" };
    const res = await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { ...moved, title: "Moved" } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ ...moved, title: "Moved", appointmentId: event.appointmentId });
    expect(await getJson<AppointmentBody>(`/v1/appointments/${event.appointmentId}`, token)).toMatchObject({ ...moved, title: "Moved", status: "scheduled" });

    const reminder = await json<EventBody>(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { kind: "reminder" } }));
    expect(reminder).toMatchObject({ kind: "reminder", appointmentId: null, cancelledAt: null });
    expect(await getJson<AppointmentBody>(`/v1/appointments/${event.appointmentId}`, token)).toMatchObject({ status: "cancelled" });
    expect((await calendar(token)).data.map((e) => e.id)).toContain(event.id);

    const back = await json<EventBody>(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { kind: "call" } }));
    expect(back.appointmentId).toBe(event.appointmentId);
    expect(await getJson<AppointmentBody>(`/v1/appointments/${event.appointmentId}`, token)).toMatchObject({ kind: "call", status: "scheduled", cancelledAt: null });
  });

  it("edits notes, location and guests, clears them with null, and audits before and after", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const event = await createEvent(token, meeting());
    const res = await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { notes: null, location: "Room 9", guests: [] } });
    expect(await json(res)).toMatchObject({ notes: null, location: "Room 9", guests: [], title: event.title });
    const audit = await withAdmin((c) =>
      c.query("select before ->> 'location' as before, after ->> 'location' as after from public.audit_log where tenant_id = $1 and action = 'calendar_events.update'", [t.id]),
    );
    expect(audit.rows).toEqual([{ before: event.location, after: "Room 9" }]);
  });

  it("the owner replaces the attendee list; a new attendee then sees the details", async () => {
    const t = await seedTenant();
    const event = await createEvent(await t.employee.token(), meeting({ attendeeIds: [t.colleague.id] }));
    const res = await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token: await t.employee.token(), body: { attendeeIds: [t.manager.id, t.admin.id] } });
    expect((await json<EventBody>(res)).attendees.sort()).toEqual([t.manager.id, t.admin.id].sort());
    const colleagueView = await calendar(await t.colleague.token());
    expect(colleagueView.data.find((e) => e.id === event.id)).toMatchObject({ busy: true });
  });

  it("DELETE cancels: the event is kept with cancelledAt, leaves the calendar, cancels the appointment; again is a no-op", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const event = await createEvent(token, meeting());
    expect((await call(`/v1/calendar/events/${event.id}`, { method: "DELETE", token })).status).toBe(204);
    const kept = await getJson<EventBody>(`/v1/calendar/events/${event.id}`, token);
    expect(kept.cancelledAt).not.toBeNull();
    expect(kept.appointmentId).toBeNull();
    expect((await calendar(token)).data).toEqual([]);
    expect(await getJson<AppointmentBody>(`/v1/appointments/${event.appointmentId}`, token)).toMatchObject({ status: "cancelled" });
    expect((await call(`/v1/calendar/events/${event.id}`, { method: "DELETE", token })).status).toBe(204);
    const actions = (await auditActions(t.id, event.id)).map((a) => a.action);
    expect(actions.filter((a) => a === "calendar_events.update")).toHaveLength(1);
    const rows = await withAdmin((c) => c.query("select count(*)::int as n from public.calendar_events where id = $1", [event.id]));
    expect(rows.rows[0]!.n).toBe(1);
  });
});

describe("GET /v1/calendar", () => {
  it("lists the events overlapping the range, ordered by start, with details of your own", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const before = await createEvent(token, meeting({ start: "2030-01-06T23:00:00.000Z", end: "2030-01-07T01:00:00.000Z", title: "Overnight" }));
    const endsAtFrom = await createEvent(token, meeting({ start: "2030-01-06T22:00:00.000Z", end: "2030-01-07T00:00:00.000Z" }));
    const later = await createEvent(token, meeting({ kind: "blocked", start: "2030-01-10T09:00:00.000Z", end: "2030-01-10T10:00:00.000Z" }));
    const earlier = await createEvent(token, meeting({ kind: "call", start: "2030-01-08T09:00:00.000Z", end: "2030-01-08T09:15:00.000Z" }));
    const outside = await createEvent(token, meeting({ start: "2030-01-14T00:00:00.000Z", end: "2030-01-14T01:00:00.000Z" }));
    const page = await calendar(token);
    expect(page.timezone).toBe("UTC");
    expect(page.nextCursor).toBeNull();
    expect(page.data.map((e) => e.id)).toEqual([before.id, earlier.id, later.id]);
    expect(page.data.map((e) => e.id)).not.toContain(endsAtFrom.id);
    expect(page.data.map((e) => e.id)).not.toContain(outside.id);
    expect(page.data[1]).toEqual({
      id: earlier.id,
      kind: "call",
      title: earlier.title,
      notes: earlier.notes,
      location: earlier.location,
      guests: earlier.guests,
      ownerId: t.employee.id,
      attendees: [],
      start: "2030-01-08T09:00:00.000Z",
      end: "2030-01-08T09:15:00.000Z",
      localStart: "2030-01-08T09:00:00",
      localEnd: "2030-01-08T09:15:00",
      busy: false,
      appointmentId: earlier.appointmentId,
    });
    expect(page.data[2]).not.toHaveProperty("appointmentId");
  });

  it("gives wall times in the caller's zone, across both daylight-saving changes", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    expect((await call("/v1/me/settings", { method: "PATCH", token, body: { timezone: "Europe/Berlin" } })).status).toBe(200);
    // Berlin: CET (+1) until 2030-03-31 01:00Z, CEST (+2) until 2030-10-27 01:00Z.
    const spring = await createEvent(token, meeting({ kind: "reminder", start: "2030-03-31T00:30:00.000Z", end: "2030-03-31T01:30:00.000Z" }));
    const autumn = await createEvent(token, meeting({ kind: "reminder", start: "2030-10-27T00:30:00.000Z", end: "2030-10-27T01:30:00.000Z" }));
    const march = await calendar(token, { from: "2030-03-30T00:00:00Z", to: "2030-04-01T00:00:00Z" });
    expect(march.timezone).toBe("Europe/Berlin");
    expect(march.data).toEqual([expect.objectContaining({ id: spring.id, localStart: "2030-03-31T01:30:00", localEnd: "2030-03-31T03:30:00" })]);
    const october = await calendar(token, { from: "2030-10-26T00:00:00Z", to: "2030-10-28T00:00:00Z" });
    // Both 00:30Z (CEST) and 01:30Z (CET) are 02:30 on the wall: the hour that happens twice.
    expect(october.data).toEqual([expect.objectContaining({ id: autumn.id, localStart: "2030-10-27T02:30:00", localEnd: "2030-10-27T02:30:00" })]);
    // A range given with an offset means the same instants.
    const offset = await calendar(token, { from: "2030-03-31T01:00:00+01:00", to: "2030-03-31T04:00:00+02:00" });
    expect(offset.data.map((e) => e.id)).toEqual([spring.id]);
    const event = await getJson<EventBody>(`/v1/calendar/events/${spring.id}`, token);
    expect(event).toMatchObject({ timezone: "Europe/Berlin", localStart: "2030-03-31T01:30:00", localEnd: "2030-03-31T03:30:00" });
  });

  it("an empty range still names the zone", async () => {
    const t = await seedTenant();
    await call("/v1/me/settings", { method: "PATCH", token: await t.manager.token(), body: { timezone: "America/New_York" } });
    expect(await calendar(await t.manager.token())).toEqual({ timezone: "America/New_York", data: [], nextCursor: null });
  });

  it("pages with a cursor that stays stable while events are added", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const at = (h: number) => ({ start: `2030-01-08T${String(h).padStart(2, "0")}:00:00.000Z`, end: `2030-01-08T${String(h).padStart(2, "0")}:30:00.000Z` });
    const ids = [];
    for (const h of [8, 10, 12, 14]) ids.push((await createEvent(token, meeting({ kind: "blocked", ...at(h) }))).id);
    const first = await calendar(token, WEEK, "&limit=2");
    expect(first.data.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).not.toBeNull();
    // Meanwhile: one event before the cursor and one after it.
    await createEvent(token, meeting({ kind: "blocked", ...at(9) }));
    const late = await createEvent(token, meeting({ kind: "blocked", ...at(16) }));
    const second = await calendar(token, WEEK, `&limit=2&cursor=${first.nextCursor}`);
    const third = await calendar(token, WEEK, `&limit=2&cursor=${second.nextCursor}`);
    expect([...second.data, ...third.data].map((e) => e.id)).toEqual([ids[2], ids[3], late.id]);
    expect(third.nextCursor).toBeNull();
  });
});
