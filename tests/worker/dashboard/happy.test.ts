import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createTask } from "../tasks/helpers.ts";
import { localDay, seedAppointment } from "./appointments.ts";

interface Dashboard {
  timezone: string;
  today: string;
  counts: { appointmentsToday: number; openTasks: number; overdueTasks: number };
  todayAppointments: { id: string; title: string; startsAt: string; endsAt: string; status: string; customerId: string | null }[];
  nextAppointments: { title: string; startsAt: string }[];
  nextTasks: { id: string; title: string; status: string; dueAt: string | null }[];
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const setTimezone = (userId: string, tz: string) =>
  withAdmin((c) => c.query("update public.user_settings set timezone = $2 where user_id = $1", [userId, tz]));

describe("GET /v1/dashboard", () => {
  it("'today' is the caller's local day: appointments just before and after local midnight fall on the right side", async () => {
    const t = await seedTenant();
    await setTimezone(t.employee.id, "Pacific/Auckland");
    const { start, end, date } = await localDay("Pacific/Auckland");
    const seed = (title: string, at: number) => seedAppointment(t, { owner: t.employee, title, startsAt: new Date(at), customerId: t.customerRecordId });
    await seed("yesterday, one minute before midnight", start.getTime() - minute);
    const early = await seed("today, one minute after midnight", start.getTime() + minute);
    await seed("today, one minute before the next midnight", end.getTime() - minute);
    await seed("tomorrow, one minute after midnight", end.getTime() + minute);

    const res = await call("/v1/dashboard", { token: await t.employee.token() });
    expect(res.status).toBe(200);
    const body = await json<Dashboard>(res);
    expect(body.timezone).toBe("Pacific/Auckland");
    expect(body.today).toBe(date);
    expect(body.counts.appointmentsToday).toBe(2);
    expect(body.todayAppointments.map((a) => a.title)).toEqual(["today, one minute after midnight", "today, one minute before the next midnight"]);
    expect(body.todayAppointments[0]).toEqual({
      id: early.appointmentId,
      kind: "meeting",
      title: "today, one minute after midnight",
      startsAt: new Date(start.getTime() + minute).toISOString(),
      endsAt: new Date(start.getTime() + 31 * minute).toISOString(),
      status: "scheduled",
      customerId: t.customerRecordId,
    });
  });

  it("the same instants are split differently for a caller in another time zone", async () => {
    const t = await seedTenant();
    await setTimezone(t.employee.id, "America/Los_Angeles");
    const [la, auckland] = await Promise.all([localDay("America/Los_Angeles"), localDay("Pacific/Auckland")]);
    const instants: Record<string, number> = {
      "LA midnight + 1": la.start.getTime() + minute,
      "LA next midnight - 1": la.end.getTime() - minute,
      "Auckland midnight - 1": auckland.start.getTime() - minute,
      "Auckland midnight + 1": auckland.start.getTime() + minute,
    };
    for (const [title, at] of Object.entries(instants)) await seedAppointment(t, { owner: t.employee, title, startsAt: new Date(at) });
    const expected = Object.entries(instants)
      .filter(([, at]) => at >= la.start.getTime() && at < la.end.getTime())
      .sort(([, x], [, y]) => x - y)
      .map(([title]) => title);
    const body = await json<Dashboard>(await call("/v1/dashboard", { token: await t.employee.token() }));
    expect(body.today).toBe(la.date);
    expect(body.todayAppointments.map((a) => a.title)).toEqual(expected);
    expect(body.counts.appointmentsToday).toBe(expected.length);
    expect(expected).toEqual(expect.arrayContaining(["LA midnight + 1", "LA next midnight - 1"]));
  });

  it("counts appointments the caller owns or attends, not cancelled ones nor a colleague's", async () => {
    const t = await seedTenant();
    const { start } = await localDay("UTC");
    const at = new Date(start.getTime() + 12 * hour);
    await seedAppointment(t, { owner: t.employee, title: "own", startsAt: at });
    await seedAppointment(t, { owner: t.colleague, title: "attended", startsAt: new Date(at.getTime() + hour), attendees: [t.employee] });
    await seedAppointment(t, { owner: t.employee, title: "cancelled", startsAt: at, cancelled: true });
    await seedAppointment(t, { owner: t.colleague, title: "colleague's", startsAt: at });
    const body = await json<Dashboard>(await call("/v1/dashboard", { token: await t.employee.token() }));
    expect(body.timezone).toBe("UTC");
    expect(body.todayAppointments.map((a) => a.title)).toEqual(["own", "attended"]);
    expect(body.counts.appointmentsToday).toBe(2);
    // A manager reads every appointment, but the dashboard is theirs: none of these.
    const manager = await json<Dashboard>(await call("/v1/dashboard", { token: await t.manager.token() }));
    expect(manager.counts.appointmentsToday).toBe(0);
  });

  it("lists the next 5 scheduled appointments from now, in order", async () => {
    const t = await seedTenant();
    const now = Date.now();
    await seedAppointment(t, { owner: t.employee, title: "past", startsAt: new Date(now - 2 * hour) });
    await seedAppointment(t, { owner: t.employee, title: "cancelled", startsAt: new Date(now + hour), cancelled: true });
    for (const n of [7, 3, 1, 6, 2, 5, 4]) {
      await seedAppointment(t, { owner: t.employee, title: `in ${n} days`, startsAt: new Date(now + n * day) });
    }
    const body = await json<Dashboard>(await call("/v1/dashboard", { token: await t.employee.token() }));
    expect(body.nextAppointments.map((a) => a.title)).toEqual(["in 1 days", "in 2 days", "in 3 days", "in 4 days", "in 5 days"]);
  });

  it("counts open and overdue tasks assigned to the caller and lists the next 5 by due date", async () => {
    const t = await seedTenant();
    const manager = await t.manager.token();
    const now = Date.now();
    const task = (title: string, extra: Record<string, unknown> = {}) => createTask(manager, { title, assignedTo: t.employee.id, ...extra });
    await task("overdue", { dueAt: new Date(now - day).toISOString() });
    await task("overdue but blocked", { dueAt: new Date(now - hour).toISOString(), status: "blocked" });
    await task("done late", { dueAt: new Date(now - day).toISOString(), status: "done" });
    await task("cancelled", { dueAt: new Date(now - day).toISOString(), status: "cancelled" });
    await task("no due date");
    await task("due in 2 days", { dueAt: new Date(now + 2 * day).toISOString(), status: "in_progress" });
    await task("due tomorrow", { dueAt: new Date(now + day).toISOString() });
    await task("due in 3 days", { dueAt: new Date(now + 3 * day).toISOString() });
    await createTask(manager, { title: "colleague's, overdue", assignedTo: t.colleague.id, dueAt: new Date(now - day).toISOString() });
    const body = await json<Dashboard>(await call("/v1/dashboard", { token: await t.employee.token() }));
    expect(body.counts).toMatchObject({ openTasks: 6, overdueTasks: 2 });
    expect(body.nextTasks.map((x) => x.title)).toEqual(["overdue", "overdue but blocked", "due tomorrow", "due in 2 days", "due in 3 days"]);
  });

  it("a soft-deleted task no longer counts", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.manager.token(), { title: "gone", assignedTo: t.employee.id, dueAt: new Date(Date.now() - day).toISOString() });
    expect((await json<Dashboard>(await call("/v1/dashboard", { token: await t.employee.token() }))).counts).toMatchObject({ openTasks: 1, overdueTasks: 1 });
    expect((await call(`/v1/tasks/${task.id}`, { method: "DELETE", token: await t.admin.token() })).status).toBe(204);
    expect((await json<Dashboard>(await call("/v1/dashboard", { token: await t.employee.token() }))).counts).toMatchObject({ openTasks: 0, overdueTasks: 0 });
  });

  it("an empty day is all zeros and empty lists", async () => {
    const t = await seedTenant();
    const body = await json<Dashboard>(await call("/v1/dashboard", { token: await t.owner.token() }));
    expect(body).toMatchObject({
      counts: { appointmentsToday: 0, openTasks: 0, overdueTasks: 0 },
      todayAppointments: [],
      nextAppointments: [],
      nextTasks: [],
    });
  });
});
