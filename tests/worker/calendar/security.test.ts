// Who sees which calendar details, who may change an event, and tenant isolation.
import { beforeAll, describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { calendar, createEvent, getJson, meeting, WEEK, type EventBody } from "./helpers.ts";

const SECRET_GUEST = "secret-guest@rival.test";

describe("details are redacted in the database", () => {
  let t: SeededTenant;
  let secret: EventBody;
  let body: Record<string, unknown>;
  beforeAll(async () => {
    t = await seedTenant();
    body = meeting({ title: `Secret merger ${crypto.randomUUID()}`, guests: [{ email: SECRET_GUEST, name: "Rival CEO" }] });
    secret = await createEvent(await t.colleague.token(), { ...body, attendeeIds: [t.admin.id] });
  });

  it("an employee sees only a busy block for a colleague's meeting, and the body holds none of its details", async () => {
    const res = await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}`, { token: await t.employee.token() });
    const text = await res.text();
    expect(res.status).toBe(200);
    for (const detail of [body.title, body.notes, body.location, SECRET_GUEST, "Rival CEO", t.colleague.id, t.admin.id, secret.appointmentId]) {
      expect(text).not.toContain(detail as string);
    }
    const entry = (JSON.parse(text) as { data: Record<string, unknown>[] }).data.find((e) => e.id === secret.id);
    expect(entry).toEqual({ id: secret.id, start: secret.start, end: secret.end, localStart: secret.localStart, localEnd: secret.localEnd, busy: true });
  });

  it("a busy-only viewer cannot read, edit or cancel the event: 404, and nothing changes", async () => {
    const token = await t.employee.token();
    await expectProblem(await call(`/v1/calendar/events/${secret.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${secret.id}`, { method: "PATCH", token, body: { title: "mine now" } }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${secret.id}`, { method: "PATCH", token, body: { attendeeIds: [] } }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${secret.id}`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${secret.appointmentId}`, { token }), 404, "not_found");
    const row = await withAdmin((c) => c.query("select title, cancelled_at from public.calendar_events where id = $1", [secret.id]));
    expect(row.rows[0]).toEqual({ title: body.title, cancelled_at: null });
  });

  it("an attendee sees the details", async () => {
    const page = await calendar(await t.admin.token());
    expect(page.data.find((e) => e.id === secret.id)).toMatchObject({ busy: false, title: body.title, notes: body.notes, location: body.location, guests: body.guests, attendees: [t.admin.id] });
  });

  it("a manager (appointments.read_all) sees every event's details", async () => {
    const own = await createEvent(await t.employee.token(), meeting({ kind: "blocked" }));
    const page = await calendar(await t.manager.token());
    expect(page.data.filter((e) => e.busy)).toEqual([]);
    expect(page.data.find((e) => e.id === secret.id)).toMatchObject({ title: body.title, notes: body.notes, appointmentId: secret.appointmentId });
    expect(page.data.find((e) => e.id === own.id)).toMatchObject({ title: own.title, ownerId: t.employee.id });
    expect((await getJson<EventBody>(`/v1/calendar/events/${secret.id}`, await t.manager.token())).notes).toBe(body.notes);
  });

  it("without calendar.read, not even busy time is shown", async () => {
    const u = await seedTenant();
    await createEvent(await u.colleague.token(), meeting());
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'calendar.read', false)", [u.id, u.employee.id]));
    expect((await calendar(await u.employee.token())).data).toEqual([]);
  });
});

describe("who may change an event", () => {
  it("an attendee moves or edits it but may not change the attendee list (403, nothing changes)", async () => {
    const t = await seedTenant();
    const event = await createEvent(await t.colleague.token(), meeting({ attendeeIds: [t.employee.id] }));
    const token = await t.employee.token();
    const res = await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { title: "Agenda set by attendee" } });
    expect(res.status).toBe(200);
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { title: "x", attendeeIds: [t.employee.id, t.manager.id] } }), 403, "forbidden");
    const after = await getJson<EventBody>(`/v1/calendar/events/${event.id}`, await t.colleague.token());
    expect(after).toMatchObject({ title: "Agenda set by attendee", attendees: [t.employee.id] });
  });

  it("a manager reads all but may not edit or cancel another's event (403); an admin (appointments.manage) may", async () => {
    const t = await seedTenant();
    const event = await createEvent(await t.employee.token(), meeting());
    const manager = await t.manager.token();
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token: manager, body: { title: "Managed" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "DELETE", token: manager }), 403, "forbidden");
    const admin = await t.admin.token();
    expect((await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token: admin, body: { title: "Managed" } })).status).toBe(200);
    expect((await call(`/v1/calendar/events/${event.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    const row = await withAdmin((c) => c.query("select title, cancelled_at is not null as cancelled from public.calendar_events where id = $1", [event.id]));
    expect(row.rows[0]).toEqual({ title: "Managed", cancelled: true });
  });
});

describe("tenant isolation and audience", () => {
  let a: SeededTenant;
  let b: SeededTenant;
  let bEvent: EventBody;
  beforeAll(async () => {
    [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    bEvent = await createEvent(await b.employee.token(), meeting({ title: `B only ${crypto.randomUUID()}` }));
  });

  it("another tenant's events are not even busy time", async () => {
    const res = await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}`, { token: await a.owner.token() });
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ data: [] });
    expect(text).not.toContain(bEvent.id);
  });

  it("another tenant's event id is 404 for read, edit and cancel, and stays unchanged", async () => {
    const token = await a.owner.token();
    await expectProblem(await call(`/v1/calendar/events/${bEvent.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${bEvent.id}`, { method: "PATCH", token, body: { title: "pwned" } }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${bEvent.id}`, { method: "PATCH", token, body: { attendeeIds: [a.owner.id] } }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${bEvent.id}`, { method: "DELETE", token }), 404, "not_found");
    const row = await withAdmin((c) => c.query("select title, cancelled_at from public.calendar_events where id = $1", [bEvent.id]));
    expect(row.rows[0]).toEqual({ title: bEvent.title, cancelled_at: null });
  });

  it("another tenant's member cannot be an attendee (404), and nothing is created", async () => {
    const token = await a.employee.token();
    await expectProblem(await call("/v1/calendar/events", { token, body: meeting({ attendeeIds: [b.employee.id] }) }), 404, "not_found");
    const rows = await withAdmin((c) => c.query("select count(*)::int as n from public.calendar_events where tenant_id = $1", [a.id]));
    expect(rows.rows[0]!.n).toBe(0);
  });

  it("a customer cannot reach the staff calendar (403)", async () => {
    const token = await a.customer.token();
    const id = crypto.randomUUID();
    await expectProblem(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}`, { token }), 403, "forbidden");
    await expectProblem(await call("/v1/calendar/events", { token, body: meeting() }), 403, "forbidden");
    await expectProblem(await call(`/v1/calendar/events/${id}`, { token }), 403, "forbidden");
    await expectProblem(await call(`/v1/calendar/events/${id}`, { method: "PATCH", token, body: { title: "x" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/calendar/events/${id}`, { method: "DELETE", token }), 403, "forbidden");
  });

  it("a person in two businesses sees only the active one's calendar", async () => {
    await withAdmin((c) => c.query("insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'manager')", [a.id, b.employee.id]));
    const token = await hs256Token({ id: b.employee.id, tenantId: a.id });
    const page = await json<{ data: unknown[] }>(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}`, { token }));
    expect(page.data).toEqual([]);
    await expectProblem(await call(`/v1/calendar/events/${bEvent.id}`, { token }), 404, "not_found");
  });
});
