// Who sees and changes which task is decided by Postgres: these go through the Worker and
// check both the answer and that nothing changed.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createTask, listIds, type TaskBody } from "./helpers.ts";

const row = (id: string) =>
  withAdmin((c) => c.query("select title, status, assigned_to, deleted_at from public.tasks where id = $1", [id])).then((r) => r.rows[0]);

describe("visibility", () => {
  it("an employee sees tasks assigned to them or created by them, not a colleague's; a manager sees all", async () => {
    const t = await seedTenant();
    const manager = await t.manager.token();
    const assigned = await createTask(manager, { title: "for employee", assignedTo: t.employee.id });
    const colleagues = await createTask(manager, { title: "for colleague", assignedTo: t.colleague.id });
    const unassigned = await createTask(manager, { title: "nobody's", assignedTo: null });
    const own = await createTask(await t.employee.token(), { title: "own" });
    const employee = await t.employee.token();
    expect(await listIds("/v1/tasks", employee)).toEqual([assigned.id, own.id]);
    await expectProblem(await call(`/v1/tasks/${colleagues.id}`, { token: employee }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${unassigned.id}`, { token: employee }), 404, "not_found");
    expect(await listIds(`/v1/tasks?assigned_to=${t.colleague.id}`, employee)).toEqual([]);
    expect(await listIds("/v1/tasks", manager)).toEqual([assigned.id, colleagues.id, unassigned.id, own.id]);
  });

  it("a task's comments and time logs are 404 to whoever cannot see the task", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.manager.token(), { title: "private", assignedTo: t.colleague.id });
    const employee = await t.employee.token();
    await expectProblem(await call(`/v1/tasks/${task.id}/comments`, { token: employee }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${task.id}/comments`, { token: employee, body: { body: "sneak" } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${task.id}/time-logs`, { token: employee }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${task.id}/time-logs`, { token: employee, body: { minutes: 5 } }), 404, "not_found");
    const counts = await withAdmin((c) =>
      c.query("select (select count(*) from public.task_comments where task_id = $1)::int as comments, (select count(*) from public.time_logs where task_id = $1)::int as logs", [task.id]),
    );
    expect(counts.rows[0]).toEqual({ comments: 0, logs: 0 });
  });
});

describe("writing", () => {
  it("an employee may not assign a task to someone else (403), nor link a customer they cannot see (404)", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    await expectProblem(await call("/v1/tasks", { token, body: { title: "for you", assignedTo: t.colleague.id } }), 403, "forbidden");
    await expectProblem(await call("/v1/tasks", { token, body: { title: "unassigned", assignedTo: null } }), 403, "forbidden");
    await expectProblem(await call("/v1/tasks", { token, body: { title: "about them", customerId: t.customerRecordId } }), 404, "not_found");
    // Once the customer is theirs, the same request works.
    await withAdmin((c) => c.query("update public.customers set assigned_to = $2 where id = $1", [t.customerRecordId, t.employee.id]));
    expect((await createTask(token, { title: "about them", customerId: t.customerRecordId })).customerId).toBe(t.customerRecordId);
    expect(await withAdmin((c) => c.query("select count(*)::int as n from public.tasks where tenant_id = $1", [t.id])).then((r) => r.rows[0]!.n)).toBe(1);
  });

  it("the assignee changes only the status: any other field is 403 and nothing changes", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.manager.token(), { title: "fixed", assignedTo: t.employee.id });
    const token = await t.employee.token();
    for (const body of [{ title: "renamed" }, { assignedTo: t.colleague.id }, { dueAt: new Date().toISOString() }, { status: "done", description: "sneaky" }]) {
      await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body }), 403, "forbidden");
    }
    expect(await row(task.id)).toMatchObject({ title: "fixed", status: "open", assigned_to: t.employee.id });
  });

  it("a task the caller cannot see is 404 to PATCH, and unchanged", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.manager.token(), { title: "theirs", assignedTo: t.colleague.id });
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token: await t.employee.token(), body: { status: "done" } }), 404, "not_found");
    expect(await row(task.id)).toMatchObject({ status: "open" });
  });
});

describe("deleting", () => {
  it("an employee cannot delete: 403 on a task they see, 404 on one they do not; both stay", async () => {
    const t = await seedTenant();
    const manager = await t.manager.token();
    const visible = await createTask(manager, { title: "mine", assignedTo: t.employee.id });
    const hidden = await createTask(manager, { title: "not mine", assignedTo: t.colleague.id });
    const own = await createTask(await t.employee.token(), { title: "created by me" });
    const token = await t.employee.token();
    await expectProblem(await call(`/v1/tasks/${visible.id}`, { method: "DELETE", token }), 403, "forbidden");
    await expectProblem(await call(`/v1/tasks/${own.id}`, { method: "DELETE", token }), 403, "forbidden");
    await expectProblem(await call(`/v1/tasks/${hidden.id}`, { method: "DELETE", token }), 404, "not_found");
    for (const task of [visible, hidden, own]) expect((await row(task.id))!.deleted_at).toBeNull();
    expect(await listIds("/v1/tasks", token)).toEqual([visible.id, own.id]);
  });

  it("a manager (tasks.manage, no tasks.delete) cannot delete either; the owner can", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.manager.token(), { title: "x", assignedTo: t.employee.id });
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "DELETE", token: await t.manager.token() }), 403, "forbidden");
    expect((await row(task.id))!.deleted_at).toBeNull();
    expect((await call(`/v1/tasks/${task.id}`, { method: "DELETE", token: await t.owner.token() })).status).toBe(204);
  });

  it("a revoked tasks.delete stops an admin; a granted one lets a manager delete", async () => {
    const t = await seedTenant();
    const a = await createTask(await t.manager.token(), { title: "a" });
    const b = await createTask(await t.manager.token(), { title: "b" });
    await withAdmin((c) =>
      c.query(
        `insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'tasks.delete', false), ($1, $3, 'tasks.delete', true)`,
        [t.id, t.admin.id, t.manager.id],
      ),
    );
    await expectProblem(await call(`/v1/tasks/${a.id}`, { method: "DELETE", token: await t.admin.token() }), 403, "forbidden");
    expect((await call(`/v1/tasks/${b.id}`, { method: "DELETE", token: await t.manager.token() })).status).toBe(204);
  });
});

describe("another tenant", () => {
  it("its task ids are 404 on every route, and its task is untouched", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const theirs = await createTask(await b.manager.token(), { title: "B's", assignedTo: b.employee.id });
    const token = await a.owner.token();
    await expectProblem(await call(`/v1/tasks/${theirs.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${theirs.id}`, { method: "PATCH", token, body: { title: "hijacked" } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${theirs.id}`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${theirs.id}/comments`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${theirs.id}/comments`, { token, body: { body: "hi" } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${theirs.id}/time-logs`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${theirs.id}/time-logs`, { token, body: { minutes: 5 } }), 404, "not_found");
    expect(await listIds("/v1/tasks", token)).toEqual([]);
    expect(await row(theirs.id)).toMatchObject({ title: "B's", deleted_at: null });
  });

  it("its members and customers cannot be referenced (404)", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await a.manager.token();
    await expectProblem(await call("/v1/tasks", { token, body: { title: "x", assignedTo: b.employee.id } }), 404, "not_found");
    await expectProblem(await call("/v1/tasks", { token, body: { title: "x", customerId: b.customerRecordId } }), 404, "not_found");
    const task = await createTask(token, { title: "mine" });
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { assignedTo: b.employee.id } }), 404, "not_found");
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { customerId: b.customerRecordId } }), 404, "not_found");
    expect(await json<TaskBody>(await call(`/v1/tasks/${task.id}`, { token }))).toMatchObject({ assignedTo: a.manager.id, customerId: null });
  });

  it("a customer of this tenant gets 403 on the staff task routes", async () => {
    const t = await seedTenant();
    const task = await createTask(await t.manager.token(), { title: "for the customer", assignedTo: t.customer.id });
    const token = await t.customer.token();
    await expectProblem(await call("/v1/tasks", { token }), 403, "forbidden");
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "PATCH", token, body: { status: "done" } }), 403, "forbidden");
  });
});
