import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { expectDocumented } from "../customers/openapi.ts";

describe("departments: errors", () => {
  it("a taken name is 409, on create and on rename", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    await expectProblem(await call("/v1/departments", { token, body: { name: "sales" } }), 409, "conflict");
    await expectProblem(await call(`/v1/departments/${t.departments.support}`, { method: "PATCH", token, body: { name: "sales" } }), 409, "conflict");
  });

  it.each([
    [{}, "body.name"],
    [{ name: "" }, "body.name"],
    [{ name: "   " }, "body.name"],
    [{ name: "x".repeat(101) }, "body.name"],
    [{ name: 42 }, "body.name"],
    [{ name: "ok", color: "red" }, "body"],
  ])("refuses %j with 400 naming %s", async (body, path) => {
    const t = await seedTenant();
    const problem = await expectProblem(await call("/v1/departments", { token: await t.admin.token(), body }), 400, "bad_request");
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it("an unknown id is 404 and a malformed id is 400", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    await expectProblem(await call(`/v1/departments/${crypto.randomUUID()}`, { method: "PATCH", token, body: { name: "x" } }), 404, "not_found");
    await expectProblem(await call(`/v1/departments/${crypto.randomUUID()}`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call("/v1/departments/not-a-uuid", { method: "PATCH", token, body: { name: "x" } }), 400, "bad_request");
    await expectProblem(await call("/v1/departments/not-a-uuid", { method: "DELETE", token }), 400, "bad_request");
  });

  it("caps the page size and refuses a cursor it did not issue", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    await expectProblem(await call("/v1/departments?limit=201", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/departments?limit=0", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/departments?cursor=bm90LWEtY3Vyc29y", { token }), 400, "bad_request");
    expect((await call("/v1/departments?limit=200", { token })).status).toBe(200);
  });

  it("documents every departments route in the OpenAPI document, with its problem responses", async () => {
    await expectDocumented("departments", [
      ["get", "/v1/departments", []],
      ["post", "/v1/departments", ["409"]],
      ["patch", "/v1/departments/{id}", ["404", "409"]],
      ["delete", "/v1/departments/{id}", ["404"]],
    ]);
  });
});
