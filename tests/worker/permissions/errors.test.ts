import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { expectDocumented } from "../customers/openapi.ts";

describe("permissions: errors", () => {
  it("an unknown permission is 400 naming param.permission", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const problem = await expectProblem(
      await call(`/v1/members/${t.employee.id}/permissions/customers.steal`, { method: "PUT", token, body: { effect: "grant" } }),
      400,
      "bad_request",
    );
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain("param.permission");
    await expectProblem(await call(`/v1/members/${t.employee.id}/permissions/customers.steal`, { method: "DELETE", token }), 400, "bad_request");
  });

  it.each([
    [{}, "body.effect"],
    [{ effect: "allow" }, "body.effect"],
    [{ effect: "grant", until: "tomorrow" }, "body"],
  ])("refuses %j with 400 naming %s", async (body, path) => {
    const t = await seedTenant();
    const problem = await expectProblem(
      await call(`/v1/members/${t.employee.id}/permissions/tasks.read_all`, { method: "PUT", token: await t.admin.token(), body }),
      400,
      "bad_request",
    );
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it("an unknown member is 404 and a malformed member id is 400", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const nobody = crypto.randomUUID();
    await expectProblem(await call(`/v1/members/${nobody}/permissions`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/members/${nobody}/permissions/tasks.read_all`, { method: "PUT", token, body: { effect: "grant" } }), 404, "not_found");
    await expectProblem(await call(`/v1/members/${nobody}/permissions/tasks.read_all`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call("/v1/members/not-a-uuid/permissions", { token }), 400, "bad_request");
  });

  it("documents every permissions route in the OpenAPI document, with its problem responses", async () => {
    await expectDocumented("permissions", [
      ["get", "/v1/members/{userId}/permissions", ["404"]],
      ["put", "/v1/members/{userId}/permissions/{permission}", ["404"]],
      ["delete", "/v1/members/{userId}/permissions/{permission}", ["404"]],
    ]);
  });
});
