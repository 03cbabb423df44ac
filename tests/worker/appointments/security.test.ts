// Who reads and changes which appointments, and tenant isolation.
import { beforeAll, describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { assignCustomer, seedTenant, type SeededTenant } from "../../support/seed.ts";
import { createAppointment, getJson, type AppointmentBody } from "../calendar/helpers.ts";

type Page = { data: AppointmentBody[] };

const booking = (overrides: Record<string, unknown> = {}) => ({
  kind: "call",
  title: `Call ${crypto.randomUUID()}`,
  start: "2030-01-08T09:00:00.000Z",
  end: "2030-01-08T09:30:00.000Z",
  notes: `notes-${crypto.randomUUID()}`,
  ...overrides,
});

describe("reading appointments", () => {
  let t: SeededTenant;
  let employees: AppointmentBody;
  let colleagues: AppointmentBody;
  beforeAll(async () => {
    t = await seedTenant();
    await assignCustomer(t.id, t.customerRecordId, t.employee.id);
    employees = await createAppointment(await t.employee.token(), booking({ customerId: t.customerRecordId }));
    colleagues = await createAppointment(await t.colleague.token(), booking());
  });

  it("a manager reads all appointments with every detail", async () => {
    const token = await t.manager.token();
    const page = await json<Page>(await call("/v1/appointments", { token }));
    expect(page.data.map((a) => a.id).sort()).toEqual([employees.id, colleagues.id].sort());
    expect(page.data.find((a) => a.id === colleagues.id)).toMatchObject({ title: colleagues.title, notes: colleagues.notes, ownerId: t.colleague.id });
    expect(await getJson<AppointmentBody>(`/v1/appointments/${employees.id}`, token)).toMatchObject({ notes: employees.notes, customerId: t.customerRecordId });
  });

  it("an employee reads only their own: a colleague's is absent from the list and 404 by id", async () => {
    const token = await t.employee.token();
    const res = await call("/v1/appointments", { token });
    const text = await res.text();
    expect((JSON.parse(text) as Page).data.map((a) => a.id)).toEqual([employees.id]);
    expect(text).not.toContain(colleagues.title);
    await expectProblem(await call(`/v1/appointments/${colleagues.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${colleagues.id}`, { method: "PATCH", token, body: { title: "x" } }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${colleagues.id}/cancel`, { method: "POST", token }), 404, "not_found");
  });
});

describe("changing appointments", () => {
  it("a manager (read_all, not manage) may not edit or cancel another's appointment; an owner (manage) may", async () => {
    const t = await seedTenant();
    const appointment = await createAppointment(await t.employee.token(), booking());
    const manager = await t.manager.token();
    await expectProblem(await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token: manager, body: { title: "Managed" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token: manager, body: { status: "completed" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/appointments/${appointment.id}/cancel`, { method: "POST", token: manager }), 403, "forbidden");
    const unchanged = await getJson<AppointmentBody>(`/v1/appointments/${appointment.id}`, manager);
    expect(unchanged).toMatchObject({ title: appointment.title, status: "scheduled" });

    const owner = await t.owner.token();
    expect((await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token: owner, body: { title: "Managed" } })).status).toBe(200);
    expect((await call(`/v1/appointments/${appointment.id}/cancel`, { method: "POST", token: owner })).status).toBe(200);
  });

  it("an employee without appointments.write_own cannot book (403) and nothing is created", async () => {
    const t = await seedTenant();
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'appointments.write_own', false)", [t.id, t.employee.id]));
    await expectProblem(await call("/v1/appointments", { token: await t.employee.token(), body: booking() }), 403, "forbidden");
    const rows = await withAdmin((c) => c.query("select count(*)::int as n from public.calendar_events where tenant_id = $1", [t.id]));
    expect(rows.rows[0]!.n).toBe(0);
  });
});

describe("tenant isolation and audience", () => {
  let a: SeededTenant;
  let b: SeededTenant;
  let bAppointment: AppointmentBody;
  beforeAll(async () => {
    [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    await assignCustomer(b.id, b.customerRecordId, b.employee.id);
    bAppointment = await createAppointment(await b.employee.token(), booking({ customerId: b.customerRecordId }));
  });

  it("another tenant's appointment is 404 for read, edit and cancel, and stays unchanged", async () => {
    const token = await a.owner.token();
    expect((await json<Page>(await call("/v1/appointments", { token }))).data).toEqual([]);
    await expectProblem(await call(`/v1/appointments/${bAppointment.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${bAppointment.id}`, { method: "PATCH", token, body: { title: "pwned" } }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${bAppointment.id}`, { method: "PATCH", token, body: { status: "cancelled" } }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${bAppointment.id}/cancel`, { method: "POST", token }), 404, "not_found");
    const row = await withAdmin((c) => c.query("select title, status from public.appointments where id = $1", [bAppointment.id]));
    expect(row.rows[0]).toEqual({ title: bAppointment.title, status: "scheduled" });
  });

  it("another tenant's customer or member cannot be linked (404), and nothing is created", async () => {
    const token = await a.employee.token();
    await expectProblem(await call("/v1/appointments", { token, body: booking({ customerId: b.customerRecordId }) }), 404, "not_found");
    await expectProblem(await call("/v1/appointments", { token, body: booking({ attendeeIds: [b.colleague.id] }) }), 404, "not_found");
    const own = await createAppointment(token, booking());
    await expectProblem(await call(`/v1/appointments/${own.id}`, { method: "PATCH", token, body: { customerId: b.customerRecordId } }), 404, "not_found");
    const rows = await withAdmin((c) => c.query("select count(*)::int as n, count(customer_id)::int as linked from public.appointments where tenant_id = $1", [a.id]));
    expect(rows.rows[0]).toEqual({ n: 1, linked: 0 });
  });

  it("a customer cannot reach the staff appointment routes (403)", async () => {
    const token = await a.customer.token();
    const id = crypto.randomUUID();
    await expectProblem(await call("/v1/appointments", { token }), 403, "forbidden");
    await expectProblem(await call("/v1/appointments", { token, body: booking() }), 403, "forbidden");
    await expectProblem(await call(`/v1/appointments/${id}`, { token }), 403, "forbidden");
    await expectProblem(await call(`/v1/appointments/${id}`, { method: "PATCH", token, body: { title: "x" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/appointments/${id}/cancel`, { method: "POST", token }), 403, "forbidden");
  });
});
