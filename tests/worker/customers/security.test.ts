import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { insertCustomers } from "./fixtures.ts";

const customerRows = async (tenantId: string) =>
  (await withAdmin((c) => c.query("select id, name, phone from public.customers where tenant_id = $1 order by name", [tenantId]))).rows;

describe("customers: security", () => {
  it("an employee may not create, change or delete customers (403), not even their own; nothing changes", async () => {
    const t = await seedTenant();
    const [mine] = await insertCustomers(t.id, [{ name: "Mine", assignedTo: t.employee.id }]);
    const before = await customerRows(t.id);
    const token = await t.employee.token();
    await expectProblem(await call("/v1/customers", { token, body: { name: "New", assignedTo: t.employee.id } }), 403, "forbidden");
    await expectProblem(await call(`/v1/customers/${mine}`, { method: "PATCH", token, body: { phone: "1" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/customers/${mine}`, { method: "DELETE", token }), 403, "forbidden");
    expect(await customerRows(t.id)).toEqual(before);
  });

  it("a customer an employee may not see is 404 for them, on read and write", async () => {
    const t = await seedTenant();
    const [other] = await insertCustomers(t.id, [{ name: "Not mine", departmentId: t.departments.support }]);
    const token = await t.employee.token();
    await expectProblem(await call(`/v1/customers/${other}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/customers/${other}`, { method: "PATCH", token, body: { phone: "1" } }), 404, "not_found");
    await expectProblem(await call(`/v1/customers/${other}`, { method: "DELETE", token }), 404, "not_found");
  });

  it("a manager writes customers but may not delete them (403)", async () => {
    const t = await seedTenant();
    await expectProblem(await call(`/v1/customers/${t.customerRecordId}`, { method: "DELETE", token: await t.manager.token() }), 403, "forbidden");
    expect((await customerRows(t.id)).map((c) => c.id)).toEqual([t.customerRecordId]);
  });

  it("a customer user cannot reach the staff customer routes (403), not even for their own record", async () => {
    const t = await seedTenant();
    const token = await t.customer.token();
    await expectProblem(await call("/v1/customers", { token }), 403, "forbidden");
    await expectProblem(await call(`/v1/customers/${t.customerRecordId}`, { token }), 403, "forbidden");
    await expectProblem(await call("/v1/customers", { token, body: { name: "Me again" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/customers/${t.customerRecordId}`, { method: "PATCH", token, body: { name: "x" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/customers/${t.customerRecordId}`, { method: "DELETE", token }), 403, "forbidden");
  });

  it("another tenant's customers are not listed or found, and their ids are 404 on every route", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await a.owner.token();
    const listed = await json<{ data: { id: string }[] }>(await call(`/v1/customers?q=${b.slug}`, { token }));
    expect(listed.data).toEqual([]);
    const url = `/v1/customers/${b.customerRecordId}`;
    await expectProblem(await call(url, { token }), 404, "not_found");
    await expectProblem(await call(url, { method: "PATCH", token, body: { name: "pwned" } }), 404, "not_found");
    await expectProblem(await call(url, { method: "DELETE", token }), 404, "not_found");
    expect(await customerRows(b.id)).toEqual([{ id: b.customerRecordId, name: `Customer of ${b.slug}`, phone: null }]);
  });
});
