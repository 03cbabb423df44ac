// Errors that name the problem (issue 11): the field of a duplicate or a dangling reference,
// 405 with Allow, and a timestamp without an offset, all from the one closed error table.
import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

describe("errors that name the problem", () => {
  it("a duplicate is 409 naming the field (name, slug), never echoing another row's values", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const dup = await expectProblem(await call("/v1/departments", { token, body: { name: "sales" } }), 409, "conflict");
    expect(dup.errors).toEqual([{ path: "body.name", message: "already exists" }]);
    const person = await createUser();
    const taken = await expectProblem(await call("/v1/tenants", { token: await hs256Token({ id: person.id }), body: { slug: t.slug, name: "Copycat" } }), 409, "conflict");
    expect(taken.errors).toEqual([{ path: "body.slug", message: "already exists" }]);
    expect(JSON.stringify(taken)).not.toContain(t.id);
  });

  it("a reference to a missing or other tenant's member is 404 naming the field", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await t.manager.token();
    for (const assignedTo of [crypto.randomUUID(), other.employee.id]) {
      const problem = await expectProblem(await call("/v1/tasks", { token, body: { title: "Dangling", assignedTo } }), 404, "not_found");
      expect(problem.errors).toEqual([{ path: "body.assignedTo", message: expect.stringContaining("does not exist") }]);
    }
  });

  it("a method the path does not serve is 405 with Allow", async () => {
    const t = await seedTenant();
    const res = await call("/v1/tasks", { method: "PUT", token: await t.owner.token(), body: {} });
    await expectProblem(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    const item = await call(`/v1/tasks/${crypto.randomUUID()}`, { method: "POST", token: await t.owner.token(), body: {} });
    await expectProblem(item, 405, "method_not_allowed");
    expect(item.headers.get("allow")).toBe("DELETE, GET, HEAD, PATCH");
    await expectProblem(await call("/v1/no-such-thing", { token: await t.owner.token() }), 404, "not_found");
  });

  it("a timestamp without an offset says so", async () => {
    const t = await seedTenant();
    const problem = await expectProblem(
      await call("/v1/calendar/events", { token: await t.employee.token(), body: { kind: "meeting", title: "Local", start: "2030-01-08T09:00:00", end: "2030-01-08T10:00:00Z" } }),
      400,
      "bad_request",
    );
    expect(problem.errors).toEqual([{ path: "body.start", message: expect.stringContaining("UTC offset") }]);
  });
});
