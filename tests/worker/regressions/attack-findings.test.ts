// Regression tests for what an adversarial run against the dev stack found (issue 9). Each one
// failed on the code before its fix.
import { describe, expect, it } from "vitest";
import { PLANS } from "../../../shared/plans.ts";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { addMembership, createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { createAppointment } from "../calendar/helpers.ts";
import { insertCustomers } from "../customers/fixtures.ts";
import { createTask } from "../tasks/helpers.ts";

const claimsOf = (u: { id: string; tenantId: string }) => ({ sub: u.id, role: "authenticated", tenant_id: u.tenantId });
const booking = () => ({ kind: "call", title: `Call ${crypto.randomUUID()}`, start: "2030-01-08T09:00:00.000Z", end: "2030-01-08T09:30:00.000Z" });

describe("1. self-promotion", () => {
  it("a manager granted only members.manage cannot make themselves admin, nor anyone above their own role", async () => {
    const t = await seedTenant();
    const owner = await t.owner.token();
    const grant = await call(`/v1/members/${t.manager.id}/permissions/members.manage`, { method: "PUT", token: owner, body: { effect: "grant" } });
    expect(grant.status).toBe(200);
    const manager = await t.manager.token();
    await expectProblem(await call(`/v1/members/${t.manager.id}`, { method: "PATCH", token: manager, body: { role: "admin" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/members/${t.employee.id}`, { method: "PATCH", token: manager, body: { role: "admin" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/members/${t.admin.id}`, { method: "PATCH", token: manager, body: { active: false } }), 403, "forbidden");
    // What their rank allows still works: an employee made a manager.
    expect((await call(`/v1/members/${t.employee.id}`, { method: "PATCH", token: manager, body: { role: "manager" } })).status).toBe(200);
    const me = await json<{ permissions: string[] }>(await call("/v1/me", { token: manager }));
    expect(me.permissions).not.toContain("permissions.manage");
  });

  it("a member with permissions.manage grants only permissions they hold themselves", async () => {
    const t = await seedTenant();
    await call(`/v1/members/${t.manager.id}/permissions/permissions.manage`, { method: "PUT", token: await t.owner.token(), body: { effect: "grant" } });
    const manager = await t.manager.token();
    await expectProblem(await call(`/v1/members/${t.employee.id}/permissions/audit.read`, { method: "PUT", token: manager, body: { effect: "grant" } }), 403, "forbidden");
    expect((await call(`/v1/members/${t.employee.id}/permissions/tasks.read_all`, { method: "PUT", token: manager, body: { effect: "grant" } })).status).toBe(200);
  });
});

describe("2. customer existence oracle", () => {
  it("an employee cannot link an appointment to a customer they cannot see (API and direct SQL): 404, nothing written", async () => {
    const t = await seedTenant();
    const [hidden] = await insertCustomers(t.id, [{ name: "Hidden Ltd", departmentId: t.departments.support! }]);
    const token = await t.employee.token();
    await expectProblem(await call("/v1/appointments", { token, body: { ...booking(), customerId: hidden } }), 404, "not_found");
    const own = await createAppointment(token, booking());
    await expect(
      asAuthenticated(claimsOf(t.employee), (c) => c.query("update public.appointments set customer_id = $1 where id = $2", [hidden, own.id])),
    ).rejects.toMatchObject({ code: "AO404" });
    const linked = await withAdmin((c) => c.query("select count(*)::int as n from public.appointments where customer_id = $1", [hidden]));
    expect(linked.rows[0].n).toBe(0);
  });
});

describe("3. a removed member cannot lock the business out", () => {
  it("after deactivation, 125 requests with the member's still-valid token are refused and the owner is never limited", async () => {
    const t = await seedTenant();
    const owner = await t.owner.token();
    const stale = await t.manager.token();
    expect((await call(`/v1/members/${t.manager.id}`, { method: "PATCH", token: owner, body: { active: false } })).status).toBe(200);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 125; i++) {
      const res = await call("/v1/me", { token: stale });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect([...statuses.keys()]).toEqual([403]);
    const res = await call("/v1/members", { token: owner });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("ratelimit-remaining"))).toBeGreaterThan(PLANS.free.rateLimitPerMinute - 10);
    expect((await call(`/v1/members/${t.manager.id}`, { method: "PATCH", token: owner, body: { active: true } })).status).toBe(200);
    expect((await call("/v1/me", { token: await t.manager.token() })).status).toBe(200);
  });

  it("a token the database refused (deactivated elsewhere, e.g. by SCIM) is refused before it counts from then on", async () => {
    const t = await seedTenant();
    const stale = await t.employee.token();
    await withAdmin((c) => c.query("update public.memberships set active = false where tenant_id = $1 and user_id = $2", [t.id, t.employee.id]));
    for (let i = 0; i < 30; i++) await expectProblem(await call("/v1/members", { token: stale }), 403, "membership_inactive");
    const res = await call("/v1/members", { token: await t.owner.token() });
    // At most the first refused request (the one that taught the limiter) spent the window.
    expect(Number(res.headers.get("ratelimit-remaining"))).toBeGreaterThanOrEqual(PLANS.free.rateLimitPerMinute - 3);
  });

  it("an active member gets at most their fair share of the plan's window; the rest of the business goes on", async () => {
    const t = await seedTenant();
    const employee = await t.employee.token();
    const share = PLANS.free.rateLimitPerMinute / 2;
    let refusedAt = -1;
    // Windows are read before they are spent (the spend goes on after the response), so a few
    // requests in flight at once may pass the share: allow that slack, no more.
    for (let i = 0; i <= share + 10; i++) {
      const res = await call("/v1/me", { token: employee });
      if (res.status === 429) {
        refusedAt = i;
        await expectProblem(res, 429, "rate_limited");
        break;
      }
    }
    expect(refusedAt).toBeGreaterThanOrEqual(share - 1);
    expect(refusedAt).toBeLessThanOrEqual(share + 10);
    expect((await call("/v1/me", { token: await t.owner.token() })).status).toBe(200);
  });
});

describe("4. input that used to answer 500", () => {
  it("a NUL anywhere (query, body, path, cursor) is a 400 naming the field", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const q = await expectProblem(await call("/v1/customers?q=%00", { token }), 400, "bad_request");
    expect(q.errors).toEqual([{ path: "query.q", message: expect.stringContaining("NUL") }]);
    const body = await expectProblem(await call("/v1/departments", { token, body: { name: "a\u0000b" } }), 400, "bad_request");
    expect(body.errors).toEqual([{ path: "body.name", message: expect.stringContaining("NUL") }]);
    await expectProblem(await call(`/v1/customers/${"%00"}`, { token }), 400, "bad_request");
    const nulCursor = btoa(JSON.stringify(["a\u0000", "b"])).replace(/=+$/, "");
    await expectProblem(await call(`/v1/customers?cursor=${nulCursor}`, { token }), 400, "bad_request");
  });

  it("a list page that ends on a name outside Latin-1 pages on (cursor is base64url of UTF-8)", async () => {
    const t = await seedTenant();
    await insertCustomers(t.id, [{ name: "Dvořák Dental" }, { name: "Dvořák Dental Ⅱ 🦷" }]);
    const token = await t.owner.token();
    const first = await call("/v1/customers?q=Dvo&limit=1", { token });
    expect(first.status).toBe(200);
    const page = await json<{ data: { name: string }[]; nextCursor: string }>(first);
    expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await json<{ data: { name: string }[] }>(await call(`/v1/customers?q=Dvo&limit=1&cursor=${page.nextCursor}`, { token }));
    expect([...page.data, ...second.data].map((c) => c.name).sort()).toEqual(["Dvořák Dental", "Dvořák Dental Ⅱ 🦷"]);
  });
});

describe("5. reachable with direct SQL as authenticated", () => {
  it("a settings change logged in one tenant never names another tenant's id", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const person = await createUser();
    await addMembership(a.id, person.id, "employee");
    await addMembership(b.id, person.id, "employee");
    await withAdmin((c) => c.query("insert into public.user_settings (user_id, active_tenant_id) values ($1, $2)", [person.id, a.id]));
    const token = await hs256Token({ id: person.id, tenantId: a.id });
    expect((await call("/v1/me/active-tenant", { token, body: { tenantId: b.id } })).status).toBe(200);
    const rows = await withAdmin((c) => c.query<{ row: string }>("select row_to_json(l)::text as row from public.audit_log l where tenant_id = $1 and resource_type = 'user_settings'", [b.id]));
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) expect(r.row).not.toContain(a.id);
  });

  it("authenticated cannot move the audit log's sequence", async () => {
    const t = await seedTenant();
    await expect(asAuthenticated(claimsOf(t.owner), (c) => c.query("select setval('public.audit_log_id_seq', 1)"))).rejects.toMatchObject({ code: "42501" });
  });

  it("a cancelled event stays cancelled: clearing cancelled_at is refused and its appointment stays cancelled", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const appt = await createAppointment(token, booking());
    expect((await call(`/v1/appointments/${appt.id}/cancel`, { method: "POST", token, body: {} })).status).toBe(200);
    await expect(
      asAuthenticated(claimsOf(t.employee), (c) => c.query("update public.calendar_events set cancelled_at = null where id = $1", [appt.eventId])),
    ).rejects.toMatchObject({ code: "AO409" });
    const status = await withAdmin((c) => c.query("select status from public.appointments where id = $1", [appt.id]));
    expect(status.rows[0].status).toBe("cancelled");
  });

  it("comments and time logs cannot be backdated: created_at is the database's", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.employee.token(), { title: "Backdate me" });
    for (const sql of [
      "insert into public.task_comments (tenant_id, task_id, author_id, body, created_at) values ($1, $2, $3, 'x', '2000-01-01')",
      "insert into public.time_logs (tenant_id, task_id, user_id, minutes, created_at) values ($1, $2, $3, 5, '2000-01-01')",
    ]) {
      await expect(asAuthenticated(claimsOf(t.employee), (c) => c.query(sql, [t.id, task.id, t.employee.id]))).rejects.toMatchObject({ code: "42501" });
    }
  });

  it("time logs of a soft-deleted task are hidden, also from tasks.read_all", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.employee.token(), { title: "Logged" });
    expect((await call(`/v1/tasks/${task.id}/time-logs`, { token: await t.employee.token(), body: { minutes: 30 } })).status).toBe(201);
    expect((await call(`/v1/tasks/${task.id}`, { method: "DELETE", token: await t.owner.token() })).status).toBe(204);
    const visible = await asAuthenticated(claimsOf(t.manager), (c) => c.query("select count(*)::int as n from public.time_logs where task_id = $1", [task.id]));
    expect(visible.rows[0].n).toBe(0);
  });
});

describe("found by the fuzzer", () => {
  it("a forged cursor whose key is out of range is 400, not 500 (SQLSTATE class 22)", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const forged = btoa(JSON.stringify([-1160, "x"])).replace(/=+$/, "");
    for (const path of ["/v1/members", "/v1/notes", "/v1/tasks", "/v1/appointments"]) {
      await expectProblem(await call(`${path}?cursor=${forged}`, { token }), 400, "bad_request");
    }
  });
});
