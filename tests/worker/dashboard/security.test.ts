import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { addMembership, createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { createTask } from "../tasks/helpers.ts";
import { seedAppointment } from "./appointments.ts";

describe("GET /v1/dashboard isolation", () => {
  it("shows nothing of another tenant, even for a person who is in both", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const person = await createUser();
    await addMembership(a.id, person.id, "employee");
    await addMembership(b.id, person.id, "employee");
    const inB = { id: person.id, email: person.email, role: "employee" as const, department: null, departmentId: null, tenantId: b.id, token: () => hs256Token({ id: person.id, tenantId: b.id }) };
    await seedAppointment(b, { owner: inB, title: "B's", startsAt: new Date(Date.now() + 3600_000) });
    await createTask(await inB.token(), { title: "B's task", dueAt: new Date(Date.now() - 3600_000).toISOString() });
    const inBDashboard = await json<{ counts: Record<string, number> }>(await call("/v1/dashboard", { token: await inB.token() }));
    expect(inBDashboard.counts).toMatchObject({ openTasks: 1, overdueTasks: 1 });
    const body = await json<{ counts: Record<string, number>; nextAppointments: unknown[]; nextTasks: unknown[] }>(
      await call("/v1/dashboard", { token: await hs256Token({ id: person.id, tenantId: a.id }) }),
    );
    expect(body.counts).toEqual({ appointmentsToday: 0, openTasks: 0, overdueTasks: 0 });
    expect(body.nextAppointments).toEqual([]);
    expect(body.nextTasks).toEqual([]);
  });

  it("is staff-only: a customer gets 403", async () => {
    const t = await seedTenant();
    await expectProblem(await call("/v1/dashboard", { token: await t.customer.token() }), 403, "forbidden");
  });
});
