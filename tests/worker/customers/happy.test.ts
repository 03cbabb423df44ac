import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { auditRows, insertCustomers } from "./fixtures.ts";

type Customer = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  departmentId: string | null;
  department: string | null;
  assignedTo: string | null;
  createdAt: string;
  updatedAt: string;
};
type Page = { data: Customer[]; nextCursor: string | null };

const names = (page: Page) => page.data.map((c) => c.name);

describe("customers: the write cycle", () => {
  it("a manager creates and changes a customer, an admin deletes it; every change is audited", async () => {
    const t = await seedTenant();
    const manager = await t.manager.token();
    const created = await call("/v1/customers", {
      token: manager,
      body: { name: " Dora Dent ", email: "dora@example.com", phone: "+49 30 1234", departmentId: t.departments.sales, assignedTo: t.employee.id },
    });
    expect(created.status).toBe(201);
    const customer = await json<Customer>(created);
    expect(customer).toMatchObject({
      name: "Dora Dent",
      email: "dora@example.com",
      phone: "+49 30 1234",
      departmentId: t.departments.sales,
      department: "sales",
      assignedTo: t.employee.id,
    });
    expect(new Date(customer.createdAt).toISOString()).toBe(customer.createdAt);

    const fetched = await call(`/v1/customers/${customer.id}`, { token: manager });
    expect(await json(fetched)).toEqual(customer);

    const patched = await call(`/v1/customers/${customer.id}`, { method: "PATCH", token: manager, body: { phone: null, assignedTo: t.colleague.id } });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ name: "Dora Dent", email: "dora@example.com", phone: null, assignedTo: t.colleague.id, department: "sales" });

    const deleted = await call(`/v1/customers/${customer.id}`, { method: "DELETE", token: await t.admin.token() });
    expect(deleted.status).toBe(204);
    expect((await call(`/v1/customers/${customer.id}`, { token: manager })).status).toBe(404);

    const audit = await auditRows(t.id, "customers");
    expect(audit.map((a) => [a.action, a.actor_id, a.resource_id])).toEqual([
      ["customers.insert", t.manager.id, customer.id],
      ["customers.update", t.manager.id, customer.id],
      ["customers.delete", t.admin.id, customer.id],
    ]);
    expect(audit[1]!.before).toMatchObject({ phone: "+49 30 1234" });
    expect(audit[1]!.after).toMatchObject({ phone: null, assigned_to: t.colleague.id });
  });

  it("deleting the record a customer user is linked to keeps the user, unlinked", async () => {
    const t = await seedTenant();
    expect((await call(`/v1/customers/${t.customerRecordId}`, { method: "DELETE", token: await t.owner.token() })).status).toBe(204);
    const row = await withAdmin((c) => c.query("select customer_id, active from public.memberships where tenant_id = $1 and user_id = $2", [t.id, t.customer.id]));
    expect(row.rows).toEqual([{ customer_id: null, active: true }]);
  });
});

describe("GET /v1/customers", () => {
  it("lists by name, case-insensitively, with the department's name", async () => {
    const t = await seedTenant();
    await insertCustomers(t.id, [{ name: "bert" }, { name: "Anna", departmentId: t.departments.support }, { name: "Carla" }]);
    const page = await json<Page>(await call("/v1/customers", { token: await t.manager.token() }));
    expect(names(page)).toEqual(["Anna", "bert", "Carla", `Customer of ${t.slug}`]);
    expect(page.data[0]).toMatchObject({ department: "support", departmentId: t.departments.support });
  });

  it("searches name and email, case-insensitively", async () => {
    const t = await seedTenant();
    await insertCustomers(t.id, [
      { name: "Dora Dent", email: "dora@dent.example" },
      { name: "Eli Smith", email: "ELI@DORADO.example" },
      { name: "Fay", email: "fay@example.com" },
    ]);
    const token = await t.manager.token();
    expect(names(await json<Page>(await call("/v1/customers?q=DORA", { token })))).toEqual(["Dora Dent", "Eli Smith"]);
    expect(names(await json<Page>(await call("/v1/customers?q=%20smith%20", { token })))).toEqual(["Eli Smith"]);
    expect(names(await json<Page>(await call("/v1/customers?q=example.com", { token })))).toEqual(["Fay"]);
    expect(names(await json<Page>(await call("/v1/customers?q=nobody", { token })))).toEqual([]);
  });

  it("treats %, _ and \\ in the search as plain characters", async () => {
    const t = await seedTenant();
    await insertCustomers(t.id, [{ name: "100% Dental" }, { name: "1000 Dental" }, { name: "a_b" }, { name: "axb" }, { name: "back\\slash" }]);
    const token = await t.owner.token();
    const search = async (q: string) => names(await json<Page>(await call(`/v1/customers?q=${encodeURIComponent(q)}`, { token })));
    expect(await search("0%")).toEqual(["100% Dental"]);
    expect(await search("a_b")).toEqual(["a_b"]);
    expect(await search("%")).toEqual(["100% Dental"]);
    expect(await search("\\")).toEqual(["back\\slash"]);
  });

  it("pages with a cursor that neither repeats nor skips while customers are added", async () => {
    const t = await seedTenant();
    await insertCustomers(t.id, ["c1", "c2", "c3", "c4"].map((name) => ({ name })));
    const token = await t.admin.token();
    const first = await json<Page>(await call("/v1/customers?limit=2", { token }));
    expect(names(first)).toEqual(["c1", "c2"]);
    await insertCustomers(t.id, [{ name: "c0" }, { name: "c25" }, { name: "c9" }]);
    const second = await json<Page>(await call(`/v1/customers?limit=3&cursor=${first.nextCursor}`, { token }));
    expect(names(second)).toEqual(["c25", "c3", "c4"]);
    const third = await json<Page>(await call(`/v1/customers?limit=3&cursor=${second.nextCursor}`, { token }));
    expect(names(third)).toEqual(["c9", `Customer of ${t.slug}`]);
    expect(third.nextCursor).toBeNull();
  });

  it("pages through search results with the search kept", async () => {
    const t = await seedTenant();
    await insertCustomers(t.id, ["Smith A", "Jones", "Smith B", "Smith C"].map((name) => ({ name })));
    const token = await t.admin.token();
    const first = await json<Page>(await call("/v1/customers?q=smith&limit=2", { token }));
    expect(names(first)).toEqual(["Smith A", "Smith B"]);
    const second = await json<Page>(await call(`/v1/customers?q=smith&limit=2&cursor=${first.nextCursor}`, { token }));
    expect(names(second)).toEqual(["Smith C"]);
    expect(second.nextCursor).toBeNull();
  });

  it("an employee sees the customers assigned to them or in their department, nothing else", async () => {
    const t = await seedTenant();
    const [assigned, sameDepartment] = await insertCustomers(t.id, [
      { name: "Assigned", assignedTo: t.employee.id },
      { name: "Same department", departmentId: t.departments.sales },
      { name: "Other department", departmentId: t.departments.support },
      { name: "Colleague's", assignedTo: t.colleague.id },
    ]);
    const page = await json<Page>(await call("/v1/customers", { token: await t.employee.token() }));
    expect(page.data.map((c) => c.id)).toEqual([assigned, sameDepartment]);
  });
});
