import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { seedAppointment } from "../dashboard/appointments.ts";
import { createNote } from "../notes/helpers.ts";
import { createTask } from "../tasks/helpers.ts";

type Page<T> = { data: T[]; nextCursor: string | null };
const hour = 3600_000;

describe("GET /v1/portal/appointments", () => {
  it("lists the customer's appointments by start, with customer-facing fields only, paged and filtered", async () => {
    const t = await seedTenant();
    const now = Date.now();
    for (const n of [3, 1, 2]) {
      await seedAppointment(t, { owner: t.employee, title: `visit ${n}`, startsAt: new Date(now + n * 24 * hour), customerId: t.customerRecordId });
    }
    await seedAppointment(t, { owner: t.employee, title: "visit 0 (cancelled)", startsAt: new Date(now - hour), customerId: t.customerRecordId, cancelled: true });
    const token = await t.customer.token();
    const p1 = await json<Page<Record<string, unknown>>>(await call("/v1/portal/appointments?limit=2", { token }));
    const p2 = await json<Page<Record<string, unknown>>>(await call(`/v1/portal/appointments?limit=2&cursor=${p1.nextCursor}`, { token }));
    expect([...p1.data, ...p2.data].map((a) => a.title)).toEqual(["visit 0 (cancelled)", "visit 1", "visit 2", "visit 3"]);
    expect(p2.nextCursor).toBeNull();
    expect(Object.keys(p1.data[0]!).sort()).toEqual(["endsAt", "id", "kind", "startsAt", "status", "title"]);
    expect(p1.data[0]!.status).toBe("cancelled");
    const from = encodeURIComponent(new Date(now).toISOString());
    const to = encodeURIComponent(new Date(now + 2.5 * 24 * hour).toISOString());
    const ranged = await json<Page<{ title: string }>>(await call(`/v1/portal/appointments?from=${from}&to=${to}`, { token }));
    expect(ranged.data.map((a) => a.title)).toEqual(["visit 1", "visit 2"]);
  });
});

describe("GET /v1/portal/tasks and /v1/portal/notes", () => {
  it("list the tasks assigned to the customer and the notes shared with them", async () => {
    const t = await seedTenant();
    const manager = await t.manager.token();
    const task = await createTask(manager, { title: "Fill in the form", description: "Before Tuesday", assignedTo: t.customer.id, dueAt: new Date(Date.now() + 24 * hour).toISOString() });
    await createNote(manager, { title: "Aftercare", body: "No coffee for 2 hours", customerId: t.customerRecordId, shareWithCustomer: true });
    await createNote(manager, { title: "Internal", customerId: t.customerRecordId });
    const token = await t.customer.token();
    const tasks = await json<Page<Record<string, unknown>>>(await call("/v1/portal/tasks", { token }));
    expect(tasks.data).toEqual([
      { id: task.id, title: "Fill in the form", description: "Before Tuesday", status: "open", dueAt: task.dueAt, createdAt: task.createdAt, updatedAt: task.updatedAt },
    ]);
    const notes = await json<Page<Record<string, unknown>>>(await call("/v1/portal/notes", { token }));
    expect(notes.data.map((n) => n.title)).toEqual(["Aftercare"]);
    expect(Object.keys(notes.data[0]!).sort()).toEqual(["body", "createdAt", "id", "title", "updatedAt"]);
  });
});

describe("GET /v1/portal/dashboard", () => {
  it("counts and shows what comes next for the customer", async () => {
    const t = await seedTenant();
    const now = Date.now();
    const manager = await t.manager.token();
    for (let n = 1; n <= 6; n++) {
      await seedAppointment(t, { owner: t.employee, title: `visit ${n}`, startsAt: new Date(now + n * hour), customerId: t.customerRecordId });
    }
    await seedAppointment(t, { owner: t.employee, title: "past", startsAt: new Date(now - hour), customerId: t.customerRecordId });
    await createTask(manager, { title: "open, due later", assignedTo: t.customer.id, dueAt: new Date(now + 48 * hour).toISOString() });
    await createTask(manager, { title: "open, due soon", assignedTo: t.customer.id, dueAt: new Date(now + hour).toISOString() });
    await createTask(manager, { title: "done", assignedTo: t.customer.id, status: "done" });
    await createNote(manager, { title: "first", customerId: t.customerRecordId, shareWithCustomer: true });
    await createNote(manager, { title: "second", customerId: t.customerRecordId, shareWithCustomer: true });
    const res = await call("/v1/portal/dashboard", { token: await t.customer.token() });
    expect(res.status).toBe(200);
    const body = await json<{
      counts: Record<string, number>;
      nextAppointments: { title: string; startsAt: string }[];
      nextTasks: { title: string; dueAt: string }[];
      latestNotes: { title: string; createdAt: string }[];
    }>(res);
    expect(body.counts).toEqual({ upcomingAppointments: 6, openTasks: 2, sharedNotes: 2 });
    expect(body.nextAppointments.map((a) => a.title)).toEqual(["visit 1", "visit 2", "visit 3", "visit 4", "visit 5"]);
    expect(body.nextAppointments[0]!.startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.nextTasks.map((x) => x.title)).toEqual(["open, due soon", "open, due later"]);
    expect(body.latestNotes.map((n) => n.title)).toEqual(["second", "first"]);
  });

  it("a customer user unlinked from their customer record no longer sees its appointments", async () => {
    const t = await seedTenant();
    await withAdmin((c) => c.query("update public.memberships set customer_id = null where tenant_id = $1 and user_id = $2", [t.id, t.customer.id]));
    await seedAppointment(t, { owner: t.employee, title: "visit", startsAt: new Date(Date.now() + hour), customerId: t.customerRecordId });
    const body = await json<{ counts: Record<string, number> }>(await call("/v1/portal/dashboard", { token: await t.customer.token() }));
    expect(body.counts).toEqual({ upcomingAppointments: 0, openTasks: 0, sharedNotes: 0 });
  });
});
