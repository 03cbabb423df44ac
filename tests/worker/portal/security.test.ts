// The customer portal and the staff API are two closed worlds: a customer gets 403 on every
// staff route (walked from the app's own route list, so a new route is covered automatically),
// staff get 403 on every portal route, and a customer sees only their own records.
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../functions/app.ts";
import { openApiInfo } from "../../../functions/routes/meta/openapi.ts";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { seedAppointment } from "../dashboard/appointments.ts";
import { requestSampler, type OpenApiDocument } from "./sample-request.ts";

const app = buildApp();
const registered = app.routes
  .filter((r) => r.method !== "ALL")
  .map((r) => ({ method: r.method, path: r.path }))
  .filter((r, i, all) => all.findIndex((o) => o.method === r.method && o.path === r.path) === i);
const sampleRequest = requestSampler(app.getOpenAPI31Document(openApiInfo as Parameters<typeof app.getOpenAPI31Document>[0]) as unknown as OpenApiDocument);

const isPortal = (path: string) => path.startsWith("/v1/portal/");
// Any signed-in person: accepting an invitation is for someone who is not a member yet.
const isUserLevel = (path: string) => path === "/v1/me" || path.startsWith("/v1/me/") || path === "/v1/tenants" || path === "/v1/invitations/accept";
// Every member: a customer sees the members list and themselves (another member is 404, see
// tests/worker/members/invitations.test.ts).
const isAnyMember = (r: { method: string; path: string }) => r.method === "GET" && (r.path === "/v1/members" || r.path === "/v1/members/:userId");

const staffRoutes = registered.filter((r) => r.path.startsWith("/v1/") && !isPortal(r.path) && !isUserLevel(r.path) && !isAnyMember(r));
const portalRoutes = registered.filter((r) => isPortal(r.path));

let t: SeededTenant;
beforeAll(async () => {
  t = await seedTenant();
});

describe("customers are confined to the portal", () => {
  it("knows the routes (a guard against an empty inventory)", () => {
    expect(staffRoutes.length).toBeGreaterThanOrEqual(20);
    expect(staffRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["GET /v1/tasks", "DELETE /v1/tasks/:id", "POST /v1/notes", "GET /v1/dashboard", "PATCH /v1/members/:userId"]),
    );
  });

  it.each(staffRoutes)("a customer gets 403 on $method $path, with input that passes validation", async ({ method, path }) => {
    const { url, body } = sampleRequest(method, path);
    // One customer walks every staff route within a minute: more than a free plan's member share
    // (60/min), so the token carries the enterprise plan, as the fuzz world's do.
    const token = await hs256Token({ id: t.customer.id, email: t.customer.email, tenantId: t.id }, { claims: { tenant_plan: "enterprise" } });
    const res = await call(url, { method, token, body });
    await expectProblem(res, 403, "forbidden");
  });

  it("the portal is read-only: only GET routes", () => {
    expect(portalRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      "GET /v1/portal/appointments",
      "GET /v1/portal/dashboard",
      "GET /v1/portal/notes",
      "GET /v1/portal/tasks",
    ]);
  });
});

describe("staff cannot use the portal", () => {
  it.each(portalRoutes)("owner, admin, manager and employee get 403 on $method $path", async ({ method, path }) => {
    for (const person of [t.owner, t.admin, t.manager, t.employee]) {
      await expectProblem(await call(sampleRequest(method, path).url, { method, token: await person.token() }), 403, "forbidden");
    }
  });
});

describe("a customer sees only their own records", () => {
  it("not another customer's appointments or notes, nor another tenant's", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    const stranger = crypto.randomUUID();
    await withAdmin((c) => c.query("insert into public.customers (id, tenant_id, name) values ($1, $2, 'Someone else')", [stranger, t.id]));
    const mine = await seedAppointment(t, { owner: t.employee, title: "mine", startsAt: new Date(Date.now() + 3600_000), customerId: t.customerRecordId });
    await seedAppointment(t, { owner: t.employee, title: "someone else's", startsAt: new Date(Date.now() + 7200_000), customerId: stranger });
    await seedAppointment(other, { owner: other.employee, title: "other tenant's", startsAt: new Date(Date.now() + 3600_000), customerId: other.customerRecordId });
    await withAdmin((c) =>
      c.query(
        `insert into public.notes (tenant_id, author_id, title, customer_id, shared_with_customer) values
           ($1, $2, 'for them', $3, true), ($1, $2, 'internal', $3, false), ($1, $2, 'for someone else', $4, true)`,
        [t.id, t.manager.id, t.customerRecordId, stranger],
      ),
    );
    const token = await t.customer.token();
    const appointments = await json<{ data: { id: string }[] }>(await call("/v1/portal/appointments", { token }));
    expect(appointments.data.map((a) => a.id)).toEqual([mine.appointmentId]);
    const notes = await json<{ data: { title: string }[] }>(await call("/v1/portal/notes", { token }));
    expect(notes.data.map((n) => n.title)).toEqual(["for them"]);
  });

  it("only the tasks assigned to them, not those about their customer record", async () => {
    const t = await seedTenant();
    const manager = await t.manager.token();
    const assigned = await json<{ id: string }>(await call("/v1/tasks", { token: manager, body: { title: "Bring your x-rays", assignedTo: t.customer.id } }));
    await call("/v1/tasks", { token: manager, body: { title: "Internal: call them back", assignedTo: t.employee.id, customerId: t.customerRecordId } });
    const tasks = await json<{ data: { id: string }[] }>(await call("/v1/portal/tasks", { token: await t.customer.token() }));
    expect(tasks.data.map((x) => x.id)).toEqual([assigned.id]);
  });

  it("another tenant's customer token shows nothing of this tenant", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    await seedAppointment(t, { owner: t.employee, title: "here", startsAt: new Date(Date.now() + 3600_000), customerId: t.customerRecordId });
    const page = await json<{ data: unknown[] }>(await call("/v1/portal/appointments", { token: await other.customer.token() }));
    expect(page.data).toEqual([]);
  });
});
