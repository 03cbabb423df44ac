import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { createUser, seedTenant } from "../../support/seed.ts";

type Page = { data: { userId: string; role: string; department: string | null; active: boolean }[]; nextCursor: string | null };

describe("GET /v1/members", () => {
  it("pages with a cursor that stays stable while members are added", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const first = await json<Page>(await call("/v1/members?limit=4", { token }));
    expect(first.data).toHaveLength(4);
    const late = await createUser();
    await withAdmin((c) => c.query("insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'employee')", [t.id, late.id]));
    const second = await json<Page>(await call(`/v1/members?limit=4&cursor=${first.nextCursor}`, { token }));
    const seen = [...first.data, ...second.data].map((m) => m.userId);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(7);
    expect(seen.at(-1)).toBe(late.id);
    expect(second.nextCursor).toBeNull();
  });

  it("filters by role and active, caps the page size and refuses a bad cursor", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    const employees = await json<Page>(await call("/v1/members?role=employee&active=true", { token }));
    expect(employees.data.map((m) => m.userId).sort()).toEqual([t.employee.id, t.colleague.id].sort());
    await expectProblem(await call("/v1/members?limit=201", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/members?cursor=bm90LWEtY3Vyc29y", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/members?role=king", { token }), 400, "bad_request");
  });

  it("shows a customer only their own membership", async () => {
    const t = await seedTenant();
    const page = await json<Page>(await call("/v1/members", { token: await t.customer.token() }));
    expect(page.data.map((m) => m.userId)).toEqual([t.customer.id]);
  });
});

describe("PATCH /v1/members/{userId}", () => {
  it("an admin changes role, department and active; the audit row has before and after", async () => {
    const t = await seedTenant();
    const res = await call(`/v1/members/${t.employee.id}`, { method: "PATCH", token: await t.admin.token(), body: { role: "manager", departmentId: null } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ userId: t.employee.id, role: "manager", department: null, active: true });
    const audit = await withAdmin((c) =>
      c.query("select actor_id, before ->> 'role' as before, after ->> 'role' as after from public.audit_log where tenant_id = $1 and action = 'memberships.update'", [t.id]),
    );
    expect(audit.rows).toEqual([{ actor_id: t.admin.id, before: "employee", after: "manager" }]);
  });

  it("an employee or a manager may not change members (403), and nothing changes", async () => {
    const t = await seedTenant();
    for (const actor of [t.employee, t.manager]) {
      await expectProblem(await call(`/v1/members/${t.colleague.id}`, { method: "PATCH", token: await actor.token(), body: { active: false } }), 403, "forbidden");
    }
    const row = await withAdmin((c) => c.query("select active from public.memberships where tenant_id = $1 and user_id = $2", [t.id, t.colleague.id]));
    expect(row.rows[0]!.active).toBe(true);
  });

  it("an unknown member is 404 and a malformed id is 400", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    await expectProblem(await call(`/v1/members/${crypto.randomUUID()}`, { method: "PATCH", token, body: { active: false } }), 404, "not_found");
    await expectProblem(await call("/v1/members/not-a-uuid", { method: "PATCH", token, body: { active: false } }), 400, "bad_request");
  });

  it("the last active owner cannot be demoted or deactivated (409); with a second owner it works", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    await expectProblem(await call(`/v1/members/${t.owner.id}`, { method: "PATCH", token, body: { role: "admin" } }), 409, "last_owner");
    await expectProblem(await call(`/v1/members/${t.owner.id}`, { method: "PATCH", token, body: { active: false } }), 409, "last_owner");
    expect((await call(`/v1/members/${t.admin.id}`, { method: "PATCH", token, body: { role: "owner" } })).status).toBe(200);
    expect((await call(`/v1/members/${t.owner.id}`, { method: "PATCH", token, body: { role: "admin" } })).status).toBe(200);
  });

  it("an admin may neither grant the owner role nor change an owner", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    await expectProblem(await call(`/v1/members/${t.employee.id}`, { method: "PATCH", token, body: { role: "owner" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/members/${t.owner.id}`, { method: "PATCH", token, body: { departmentId: null } }), 403, "forbidden");
  });

  it("a member deactivated by an admin is refused on their next request", async () => {
    const t = await seedTenant();
    const victim = await t.colleague.token();
    expect((await call(`/v1/members/${t.colleague.id}`, { method: "PATCH", token: await t.owner.token(), body: { active: false } })).status).toBe(200);
    await expectProblem(await call("/v1/members", { token: victim }), 403, "membership_inactive");
  });
});
