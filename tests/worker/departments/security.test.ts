import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

const names = async (tenantId: string) =>
  (await withAdmin((c) => c.query<{ name: string }>("select name from public.departments where tenant_id = $1 order by name", [tenantId]))).rows.map((r) => r.name);

describe("departments: security", () => {
  it("employees and managers (no departments.manage) may not create, rename or delete (403), and nothing changes", async () => {
    const t = await seedTenant();
    for (const actor of [t.employee, t.manager]) {
      const token = await actor.token();
      await expectProblem(await call("/v1/departments", { token, body: { name: "mine" } }), 403, "forbidden");
      await expectProblem(await call(`/v1/departments/${t.departments.sales}`, { method: "PATCH", token, body: { name: "mine" } }), 403, "forbidden");
      await expectProblem(await call(`/v1/departments/${t.departments.sales}`, { method: "DELETE", token }), 403, "forbidden");
    }
    expect(await names(t.id)).toEqual(["operations", "sales", "support"]);
  });

  it("a manager granted departments.manage may create one", async () => {
    const t = await seedTenant();
    await withAdmin((c) =>
      c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'departments.manage', true)", [t.id, t.manager.id]),
    );
    expect((await call("/v1/departments", { token: await t.manager.token(), body: { name: "projects" } })).status).toBe(201);
  });

  it("a customer user cannot reach the staff routes (403)", async () => {
    const t = await seedTenant();
    const token = await t.customer.token();
    await expectProblem(await call("/v1/departments", { token }), 403, "forbidden");
    await expectProblem(await call("/v1/departments", { token, body: { name: "x" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/departments/${t.departments.sales}`, { method: "DELETE", token }), 403, "forbidden");
  });

  it("another tenant's departments are not listed, and their ids are 404 for rename and delete", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await a.owner.token();
    const listed = await json<{ data: { id: string }[] }>(await call("/v1/departments", { token }));
    expect(listed.data.map((d) => d.id)).not.toContain(b.departments.sales);
    await expectProblem(await call(`/v1/departments/${b.departments.sales}`, { method: "PATCH", token, body: { name: "pwned" } }), 404, "not_found");
    await expectProblem(await call(`/v1/departments/${b.departments.sales}`, { method: "DELETE", token }), 404, "not_found");
    expect(await names(b.id)).toEqual(["operations", "sales", "support"]);
  });
});
