import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

const overrides = async (tenantId: string) =>
  (await withAdmin((c) => c.query("select user_id, permission, granted from public.user_permissions where tenant_id = $1", [tenantId]))).rows;

describe("permissions: security", () => {
  it("a member without permissions.manage sees only their own permissions (403 for a colleague's)", async () => {
    const t = await seedTenant();
    for (const actor of [t.employee, t.manager]) {
      await expectProblem(await call(`/v1/members/${t.colleague.id}/permissions`, { token: await actor.token() }), 403, "forbidden");
    }
  });

  it("employees and managers may not grant, revoke or reset (403), and nothing is stored", async () => {
    const t = await seedTenant();
    await withAdmin((c) =>
      c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'tasks.read_all', true)", [t.id, t.colleague.id]),
    );
    for (const actor of [t.employee, t.manager]) {
      const token = await actor.token();
      await expectProblem(
        await call(`/v1/members/${t.colleague.id}/permissions/customers.read_all`, { method: "PUT", token, body: { effect: "grant" } }),
        403,
        "forbidden",
      );
      await expectProblem(await call(`/v1/members/${t.colleague.id}/permissions/tasks.read_all`, { method: "DELETE", token }), 403, "forbidden");
    }
    expect(await overrides(t.id)).toEqual([{ user_id: t.colleague.id, permission: "tasks.read_all", granted: true }]);
  });

  it("nobody changes their own permissions, not even an admin or owner (403)", async () => {
    const t = await seedTenant();
    for (const actor of [t.admin, t.owner, t.employee]) {
      const token = await actor.token();
      await expectProblem(
        await call(`/v1/members/${actor.id}/permissions/audit.read`, { method: "PUT", token, body: { effect: "revoke" } }),
        403,
        "forbidden",
      );
      await expectProblem(await call(`/v1/members/${actor.id}/permissions/audit.read`, { method: "DELETE", token }), 403, "forbidden");
    }
    expect(await overrides(t.id)).toEqual([]);
  });

  it("an admin may not change an owner's permissions (403); an owner may change an admin's", async () => {
    const t = await seedTenant();
    await expectProblem(
      await call(`/v1/members/${t.owner.id}/permissions/permissions.manage`, { method: "PUT", token: await t.admin.token(), body: { effect: "revoke" } }),
      403,
      "forbidden",
    );
    const res = await call(`/v1/members/${t.admin.id}/permissions/audit.read`, { method: "PUT", token: await t.owner.token(), body: { effect: "revoke" } });
    expect(res.status).toBe(200);
  });

  it("a customer user cannot be given a staff permission (403)", async () => {
    const t = await seedTenant();
    await expectProblem(
      await call(`/v1/members/${t.customer.id}/permissions/customers.read_all`, { method: "PUT", token: await t.owner.token(), body: { effect: "grant" } }),
      403,
      "forbidden",
    );
    expect(await overrides(t.id)).toEqual([]);
  });

  it("a customer user cannot reach the permission routes (403)", async () => {
    const t = await seedTenant();
    const token = await t.customer.token();
    await expectProblem(await call(`/v1/members/${t.customer.id}/permissions`, { token }), 403, "forbidden");
  });

  it("another tenant's member is 404 on every permission route, and nothing is stored there", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await a.owner.token();
    await expectProblem(await call(`/v1/members/${b.employee.id}/permissions`, { token }), 404, "not_found");
    await expectProblem(
      await call(`/v1/members/${b.employee.id}/permissions/customers.read_all`, { method: "PUT", token, body: { effect: "grant" } }),
      404,
      "not_found",
    );
    await expectProblem(await call(`/v1/members/${b.employee.id}/permissions/customers.read_all`, { method: "DELETE", token }), 404, "not_found");
    expect(await overrides(b.id)).toEqual([]);
  });
});
