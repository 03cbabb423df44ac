import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createNote } from "./helpers.ts";

const paths = (body: Record<string, unknown>) => (body.errors as { path: string }[]).map((e) => e.path);

describe("note input validation", () => {
  it("POST refuses missing, empty, oversized, unknown and ill-typed fields, each by path", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: {} }), 400, "bad_request"))).toEqual(["body.title"]);
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: { title: " " } }), 400, "bad_request"))).toEqual(["body.title"]);
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: { title: "x", body: "y".repeat(20_001) } }), 400, "bad_request"))).toEqual(["body.body"]);
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: { title: "x", shareWithDepartment: "yes" } }), 400, "bad_request"))).toEqual(["body.shareWithDepartment"]);
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: { title: "x", customerId: "carl" } }), 400, "bad_request"))).toEqual(["body.customerId"]);
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: { title: "x", departmentId: t.departments.support } }), 400, "bad_request"))).toEqual(["body"]);
    expect(paths(await expectProblem(await call("/v1/notes", { token, body: { title: "x", shareWithCustomer: true } }), 400, "bad_request"))).toEqual(["body.shareWithCustomer"]);
  });

  it("sharing with the department when the author has none is 400 on that field", async () => {
    const t = await seedTenant();
    const body = await expectProblem(await call("/v1/notes", { token: await t.owner.token(), body: { title: "x", shareWithDepartment: true } }), 400, "bad_request");
    expect(paths(body)).toEqual(["body.shareWithDepartment"]);
    const note = await createNote(await t.owner.token(), { title: "x" });
    const patch = await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token: await t.owner.token(), body: { shareWithDepartment: true } }), 400, "bad_request");
    expect(paths(patch)).toEqual(["body.shareWithDepartment"]);
  });

  it("PATCH refuses an empty change, unknown fields and a malformed id", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const note = await createNote(token, { title: "x" });
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token, body: {} }), 400, "bad_request");
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token, body: { authorId: t.manager.id } }), 400, "bad_request");
    expect(paths(await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token, body: { customerId: null, shareWithCustomer: true } }), 400, "bad_request"))).toEqual(["body.shareWithCustomer"]);
    expect(paths(await expectProblem(await call("/v1/notes/123", { token }), 400, "bad_request"))).toEqual(["param.id"]);
  });

  it("GET /v1/notes caps the page size and refuses a foreign cursor", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    expect(paths(await expectProblem(await call("/v1/notes?limit=201", { token }), 400, "bad_request"))).toEqual(["query.limit"]);
    expect(paths(await expectProblem(await call("/v1/notes?cursor=%%%", { token }), 400, "bad_request"))).toEqual(["query.cursor"]);
  });

  it("unknown ids are 404, an unknown customer too", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    const id = crypto.randomUUID();
    await expectProblem(await call(`/v1/notes/${id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/notes/${id}`, { method: "PATCH", token, body: { title: "x" } }), 404, "not_found");
    await expectProblem(await call(`/v1/notes/${id}`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call("/v1/notes", { token, body: { title: "x", customerId: id } }), 404, "not_found");
  });
});
