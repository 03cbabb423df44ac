import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { expectDocumented } from "./openapi.ts";

const paths = (problem: Record<string, unknown>) => (problem.errors as { path: string }[]).map((e) => e.path);

describe("customers: errors", () => {
  it.each([
    [{}, "body.name"],
    [{ name: "  " }, "body.name"],
    [{ name: "x".repeat(201) }, "body.name"],
    [{ name: "Dora", email: "not an email" }, "body.email"],
    [{ name: "Dora", phone: "1".repeat(51) }, "body.phone"],
    [{ name: "Dora", departmentId: "sales" }, "body.departmentId"],
    [{ name: "Dora", assignedTo: 7 }, "body.assignedTo"],
    [{ name: "Dora", vip: true }, "body"],
  ])("POST refuses %j with 400 naming %s", async (body, path) => {
    const t = await seedTenant();
    const problem = await expectProblem(await call("/v1/customers", { token: await t.manager.token(), body }), 400, "bad_request");
    expect(paths(problem)).toContain(path);
  });

  it("PATCH refuses an empty body, an unknown field and a bad email with 400", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    const url = `/v1/customers/${t.customerRecordId}`;
    await expectProblem(await call(url, { method: "PATCH", token, body: {} }), 400, "bad_request");
    expect(paths(await expectProblem(await call(url, { method: "PATCH", token, body: { tier: "gold" } }), 400, "bad_request"))).toContain("body");
    expect(paths(await expectProblem(await call(url, { method: "PATCH", token, body: { email: "@" } }), 400, "bad_request"))).toContain("body.email");
    await expectProblem(await call(url, { method: "PATCH", token, body: { name: null } }), 400, "bad_request");
  });

  it("a department or assignee that is not in this business is 404", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await a.manager.token();
    await expectProblem(await call("/v1/customers", { token, body: { name: "Dora", departmentId: b.departments.sales } }), 404, "not_found");
    await expectProblem(await call("/v1/customers", { token, body: { name: "Dora", assignedTo: b.employee.id } }), 404, "not_found");
    await expectProblem(
      await call(`/v1/customers/${a.customerRecordId}`, { method: "PATCH", token, body: { departmentId: crypto.randomUUID() } }),
      404,
      "not_found",
    );
  });

  it("an unknown id is 404 and a malformed id is 400, on every route", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const unknown = `/v1/customers/${crypto.randomUUID()}`;
    await expectProblem(await call(unknown, { token }), 404, "not_found");
    await expectProblem(await call(unknown, { method: "PATCH", token, body: { name: "x" } }), 404, "not_found");
    await expectProblem(await call(unknown, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call("/v1/customers/42", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/customers/42", { method: "PATCH", token, body: { name: "x" } }), 400, "bad_request");
    await expectProblem(await call("/v1/customers/42", { method: "DELETE", token }), 400, "bad_request");
  });

  it("caps the page size and the search length, and refuses a cursor it did not issue", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    await expectProblem(await call("/v1/customers?limit=201", { token }), 400, "bad_request");
    expect(paths(await expectProblem(await call(`/v1/customers?q=${"x".repeat(101)}`, { token }), 400, "bad_request"))).toContain("query.q");
    await expectProblem(await call("/v1/customers?cursor=bm90LWEtY3Vyc29y", { token }), 400, "bad_request");
    expect((await call(`/v1/customers?limit=200&q=${"x".repeat(100)}`, { token })).status).toBe(200);
  });

  it("documents every customers route in the OpenAPI document, with its problem responses", async () => {
    await expectDocumented("customers", [
      ["get", "/v1/customers", []],
      ["get", "/v1/customers/{id}", ["404"]],
      ["post", "/v1/customers", ["404", "409"]],
      ["patch", "/v1/customers/{id}", ["404"]],
      ["delete", "/v1/customers/{id}", ["404"]],
    ]);
  });
});
