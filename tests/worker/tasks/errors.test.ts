// Bad input is a 400 problem naming each field; unknown ids are 404; never a 500.
import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createTask } from "./helpers.ts";

const paths = (body: Record<string, unknown>) => (body.errors as { path: string }[]).map((e) => e.path);

describe("task input validation", () => {
  it("POST /v1/tasks refuses missing, empty, unknown and ill-typed fields, each by path", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    expect(paths(await expectProblem(await call("/v1/tasks", { token, body: {} }), 400, "bad_request"))).toEqual(["body.title"]);
    expect(paths(await expectProblem(await call("/v1/tasks", { token, body: { title: "   " } }), 400, "bad_request"))).toEqual(["body.title"]);
    expect(paths(await expectProblem(await call("/v1/tasks", { token, body: { title: "x".repeat(201) } }), 400, "bad_request"))).toEqual(["body.title"]);
    const many = await expectProblem(
      await call("/v1/tasks", { token, body: { title: "ok", status: "someday", assignedTo: "nobody", dueAt: "tomorrow", customerId: 7, tenantId: t.id } }),
      400,
      "bad_request",
    );
    expect(paths(many)).toEqual(expect.arrayContaining(["body.status", "body.assignedTo", "body.dueAt", "body.customerId"]));
    expect((many.errors as { path: string; message: string }[]).some((e) => e.message.includes("tenantId"))).toBe(true);
    await expectProblem(await call("/v1/tasks", { token, rawBody: "{not json", headers: { "content-type": "application/json" } }), 400, "bad_request");
  });

  it("PATCH refuses an empty or unknown change and a malformed id", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    const task = await createTask(token, { title: "x" });
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: {} }), 400, "bad_request");
    const unknown = await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { createdBy: t.owner.id } }), 400, "bad_request");
    expect((unknown.errors as { path: string; message: string }[]).some((e) => e.path === "body" && e.message.includes("createdBy"))).toBe(true);
    expect(paths(await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { status: "finished" } }), 400, "bad_request"))).toEqual(["body.status"]);
    expect(paths(await expectProblem(await call("/v1/tasks/not-a-uuid", { method: "PATCH", token, body: { status: "done" } }), 400, "bad_request"))).toEqual(["param.id"]);
  });

  it("GET /v1/tasks refuses bad filters, an oversized page and a foreign cursor", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    expect(paths(await expectProblem(await call("/v1/tasks?status=open,nope", { token }), 400, "bad_request"))).toEqual(["query.status.1"]);
    expect(paths(await expectProblem(await call("/v1/tasks?assigned_to=someone", { token }), 400, "bad_request"))).toEqual(["query.assigned_to"]);
    expect(paths(await expectProblem(await call("/v1/tasks?due_before=yesterday", { token }), 400, "bad_request"))).toEqual(["query.due_before"]);
    const now = Date.now();
    const inverted = `/v1/tasks?due_after=${new Date(now).toISOString()}&due_before=${new Date(now - 1000).toISOString()}`;
    expect(paths(await expectProblem(await call(inverted, { token }), 400, "bad_request"))).toEqual(["query.due_after"]);
    expect(paths(await expectProblem(await call("/v1/tasks?limit=201", { token }), 400, "bad_request"))).toEqual(["query.limit"]);
    expect(paths(await expectProblem(await call("/v1/tasks?limit=0", { token }), 400, "bad_request"))).toEqual(["query.limit"]);
    expect(paths(await expectProblem(await call("/v1/tasks?cursor=bm90LWEtY3Vyc29y", { token }), 400, "bad_request"))).toEqual(["query.cursor"]);
  });

  it("time logs need 1..1440 whole minutes and a real date", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const task = await createTask(token, { title: "x" });
    const url = `/v1/tasks/${task.id}/time-logs`;
    for (const minutes of [0, 1441, 1.5, "60"]) {
      expect(paths(await expectProblem(await call(url, { token, body: { minutes } }), 400, "bad_request"))).toEqual(["body.minutes"]);
    }
    expect(paths(await expectProblem(await call(url, { token, body: { minutes: 5, loggedOn: "2026-02-30" } }), 400, "bad_request"))).toEqual(["body.loggedOn"]);
    expect(paths(await expectProblem(await call(url, { token, body: { minutes: 5, loggedOn: "23.11.2026" } }), 400, "bad_request"))).toEqual(["body.loggedOn"]);
    expect(paths(await expectProblem(await call(url, { token, body: { minutes: 5, userId: t.manager.id } }), 400, "bad_request"))).toEqual(["body"]);
  });

  it("comments need a non-empty body", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const task = await createTask(token, { title: "x" });
    expect(paths(await expectProblem(await call(`/v1/tasks/${task.id}/comments`, { token, body: { body: " " } }), 400, "bad_request"))).toEqual(["body.body"]);
    expect(paths(await expectProblem(await call(`/v1/tasks/${task.id}/comments`, { token, body: {} }), 400, "bad_request"))).toEqual(["body.body"]);
  });
});

describe("unknown ids", () => {
  it("are 404 on every task route", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const id = crypto.randomUUID();
    await expectProblem(await call(`/v1/tasks/${id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${id}`, { method: "PATCH", token, body: { status: "done" } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${id}`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${id}/comments`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${id}/comments`, { token, body: { body: "hi" } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${id}/time-logs`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${id}/time-logs`, { token, body: { minutes: 5 } }), 404, "not_found");
  });

  it("an assignee or customer that does not exist is 404", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    await expectProblem(await call("/v1/tasks", { token, body: { title: "x", assignedTo: crypto.randomUUID() } }), 404, "not_found");
    await expectProblem(await call("/v1/tasks", { token, body: { title: "x", customerId: crypto.randomUUID() } }), 404, "not_found");
    const task = await createTask(token, { title: "x" });
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { assignedTo: crypto.randomUUID() } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { customerId: crypto.randomUUID() } }), 404, "not_found");
  });
});
