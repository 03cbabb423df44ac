import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { auditRows, insertCustomers } from "../customers/fixtures.ts";

type Department = { id: string; name: string; createdAt: string; updatedAt: string };
type Page = { data: Department[]; nextCursor: string | null };

describe("GET /v1/departments", () => {
  it("lists the tenant's departments by name to any staff member", async () => {
    const t = await seedTenant();
    const res = await call("/v1/departments", { token: await t.employee.token() });
    expect(res.status).toBe(200);
    const page = await json<Page>(res);
    expect(page.data.map((d) => d.name)).toEqual(["operations", "sales", "support"]);
    expect(page.data[0]).toMatchObject({ id: t.departments.operations });
    expect(new Date(page.data[0]!.createdAt).toISOString()).toBe(page.data[0]!.createdAt);
    expect(page.nextCursor).toBeNull();
  });

  it("pages with a cursor that neither repeats nor skips while departments are added", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    const first = await json<Page>(await call("/v1/departments?limit=2", { token }));
    expect(first.data.map((d) => d.name)).toEqual(["operations", "sales"]);
    await withAdmin((c) => c.query("insert into public.departments (tenant_id, name) values ($1, 'accounts'), ($1, 'warehouse')", [t.id]));
    const second = await json<Page>(await call(`/v1/departments?limit=2&cursor=${first.nextCursor}`, { token }));
    expect(second.data.map((d) => d.name)).toEqual(["support", "warehouse"]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("POST, PATCH, DELETE /v1/departments", () => {
  it("an admin creates, renames and deletes a department; each change is audited", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const created = await call("/v1/departments", { token, body: { name: "  Front desk " } });
    expect(created.status).toBe(201);
    const department = await json<Department>(created);
    expect(department).toMatchObject({ name: "Front desk" });

    const renamed = await call(`/v1/departments/${department.id}`, { method: "PATCH", token, body: { name: "Reception" } });
    expect(renamed.status).toBe(200);
    expect(await json(renamed)).toMatchObject({ id: department.id, name: "Reception" });

    const deleted = await call(`/v1/departments/${department.id}`, { method: "DELETE", token });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");

    const audit = await auditRows(t.id, "departments");
    expect(audit.map((a) => [a.action, a.actor_id, a.resource_id])).toEqual([
      ["departments.insert", t.admin.id, department.id],
      ["departments.update", t.admin.id, department.id],
      ["departments.delete", t.admin.id, department.id],
    ]);
    expect(audit[1]!.before).toMatchObject({ name: "Front desk" });
    expect(audit[1]!.after).toMatchObject({ name: "Reception" });
    expect(audit.every((a) => a.request_id)).toBe(true);
  });

  it("deleting a department keeps its members and customers, now without a department (an owner's too)", async () => {
    const t = await seedTenant();
    const sales = t.departments.sales!;
    await withAdmin((c) => c.query("update public.memberships set department_id = $2 where tenant_id = $1 and user_id = $3", [t.id, sales, t.owner.id]));
    const [customerId] = await insertCustomers(t.id, [{ name: "Dora", departmentId: sales }]);
    const res = await call(`/v1/departments/${sales}`, { method: "DELETE", token: await t.admin.token() });
    expect(res.status).toBe(204);

    const members = await json<{ data: { userId: string; departmentId: string | null; department: string | null }[] }>(
      await call("/v1/members", { token: await t.owner.token() }),
    );
    for (const id of [t.owner.id, t.employee.id]) {
      expect(members.data.find((m) => m.userId === id)).toMatchObject({ departmentId: null, department: null });
    }
    const customer = await json(await call(`/v1/customers/${customerId}`, { token: await t.owner.token() }));
    expect(customer).toMatchObject({ name: "Dora", departmentId: null, department: null });
    const list = await json<Page>(await call("/v1/departments", { token: await t.owner.token() }));
    expect(list.data.map((d) => d.name)).toEqual(["operations", "support"]);
  });

  it("replays a POST with the same Idempotency-Key instead of creating twice", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await call("/v1/departments", { token, headers, body: { name: "Lab" } });
    const again = await call("/v1/departments", { token, headers, body: { name: "Lab" } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(await json(first));
  });
});
