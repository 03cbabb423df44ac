import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createTask, listIds, type Page, type TaskBody } from "./helpers.ts";

const audit = (tenantId: string, action: string) =>
  withAdmin((c) =>
    c.query<{ actor_id: string; resource_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
      "select actor_id, resource_id, before, after from public.audit_log where tenant_id = $1 and action = $2 order by id",
      [tenantId, action],
    ),
  ).then((r) => r.rows);

describe("POST /v1/tasks", () => {
  it("a manager assigns a task to an employee; it is audited in the same transaction", async () => {
    const tenant = await seedTenant();
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const res = await call("/v1/tasks", {
      token: await tenant.manager.token(),
      body: { title: "  Call the lab  ", description: "About the crowns", assignedTo: tenant.employee.id, customerId: tenant.customerRecordId, dueAt: due },
    });
    expect(res.status).toBe(201);
    const task = await json<TaskBody>(res);
    expect(task).toMatchObject({
      title: "Call the lab",
      description: "About the crowns",
      status: "open",
      assignedTo: tenant.employee.id,
      createdBy: tenant.manager.id,
      customerId: tenant.customerRecordId,
      dueAt: due,
    });
    const rows = await audit(tenant.id, "tasks.insert");
    expect(rows).toEqual([expect.objectContaining({ actor_id: tenant.manager.id, resource_id: task.id, before: null })]);
  });

  it("an employee creates a task for themselves (the default, or `me`)", async () => {
    const tenant = await seedTenant();
    const token = await tenant.employee.token();
    expect((await createTask(token, { title: "Order gloves" })).assignedTo).toBe(tenant.employee.id);
    expect((await createTask(token, { title: "Order masks", assignedTo: "me" })).assignedTo).toBe(tenant.employee.id);
    expect((await createTask(token, { title: "Order bibs", assignedTo: tenant.employee.id })).assignedTo).toBe(tenant.employee.id);
  });

  it("a manager may leave a task unassigned", async () => {
    const tenant = await seedTenant();
    expect((await createTask(await tenant.manager.token(), { title: "Backlog", assignedTo: null })).assignedTo).toBeNull();
  });

  it("replays the first response for the same Idempotency-Key", async () => {
    const tenant = await seedTenant();
    const token = await tenant.employee.token();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await call("/v1/tasks", { token, body: { title: "Once" }, headers });
    const second = await call("/v1/tasks", { token, body: { title: "Once" }, headers });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<TaskBody>(second)).id).toBe((await json<TaskBody>(first)).id);
    expect(await listIds("/v1/tasks", token)).toHaveLength(1);
  });
});

describe("GET /v1/tasks", () => {
  it("filters by assignee (uuid or me), status (one or a list) and due range", async () => {
    const tenant = await seedTenant();
    const manager = await tenant.manager.token();
    const day = 86_400_000;
    const a = await createTask(manager, { title: "a", assignedTo: tenant.employee.id, dueAt: new Date(Date.now() + day).toISOString() });
    const b = await createTask(manager, { title: "b", assignedTo: tenant.employee.id, status: "in_progress", dueAt: new Date(Date.now() + 3 * day).toISOString() });
    const c = await createTask(manager, { title: "c", assignedTo: tenant.colleague.id, status: "done" });
    const d = await createTask(manager, { title: "d", assignedTo: "me", status: "blocked", dueAt: new Date(Date.now() - day).toISOString() });

    expect(await listIds(`/v1/tasks?assigned_to=${tenant.employee.id}`, manager)).toEqual([a.id, b.id]);
    expect(await listIds("/v1/tasks?assigned_to=me", manager)).toEqual([d.id]);
    expect(await listIds("/v1/tasks?assigned_to=me", await tenant.colleague.token())).toEqual([c.id]);
    expect(await listIds("/v1/tasks?status=done", manager)).toEqual([c.id]);
    expect(await listIds("/v1/tasks?status=open,in_progress,blocked", manager)).toEqual([a.id, b.id, d.id]);
    expect(await listIds(`/v1/tasks?due_before=${encodeURIComponent(new Date(Date.now() + 2 * day).toISOString())}`, manager)).toEqual([a.id, d.id]);
    expect(await listIds(`/v1/tasks?due_after=${encodeURIComponent(new Date().toISOString())}`, manager)).toEqual([a.id, b.id]);
    expect(
      await listIds(
        `/v1/tasks?due_after=${encodeURIComponent(new Date().toISOString())}&due_before=${encodeURIComponent(new Date(Date.now() + 2 * day).toISOString())}&assigned_to=${tenant.employee.id}`,
        manager,
      ),
    ).toEqual([a.id]);
  });

  it("pages with a cursor that stays stable while tasks are added concurrently", async () => {
    const tenant = await seedTenant();
    const token = await tenant.manager.token();
    const first: TaskBody[] = [];
    for (let i = 0; i < 5; i++) first.push(await createTask(token, { title: `t${i}`, assignedTo: "me" }));
    const page1 = await json<Page<TaskBody>>(await call("/v1/tasks?limit=3", { token }));
    expect(page1.data.map((x) => x.id)).toEqual(first.slice(0, 3).map((x) => x.id));
    // Inserted while the client pages: some concurrently with the next request.
    const [late] = await Promise.all([
      createTask(token, { title: "late", assignedTo: "me" }),
      createTask(token, { title: "later", assignedTo: "me" }),
    ]);
    const page2 = await json<Page<TaskBody>>(await call(`/v1/tasks?limit=3&cursor=${page1.nextCursor}`, { token }));
    const page3 = await json<Page<TaskBody>>(await call(`/v1/tasks?limit=3&cursor=${page2.nextCursor}`, { token }));
    const seen = [...page1.data, ...page2.data, ...page3.data].map((x) => x.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(7);
    expect(seen.slice(0, 5)).toEqual(first.map((x) => x.id));
    expect(seen).toContain(late!.id);
    expect(page3.nextCursor).toBeNull();
  });
});

describe("GET /v1/tasks/{id}", () => {
  it("the assignee, the creator and a reader of all tasks read it", async () => {
    const tenant = await seedTenant();
    const task = await createTask(await tenant.manager.token(), { title: "read me", assignedTo: tenant.employee.id });
    for (const person of [tenant.employee, tenant.manager, tenant.owner, tenant.admin]) {
      const res = await call(`/v1/tasks/${task.id}`, { token: await person.token() });
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual(task);
    }
  });
});

describe("PATCH /v1/tasks/{id}", () => {
  it("the assignee changes the status; the audit row holds before and after", async () => {
    const tenant = await seedTenant();
    const task = await createTask(await tenant.manager.token(), { title: "work", assignedTo: tenant.employee.id });
    const res = await call(`/v1/tasks/${task.id}`, { method: "PATCH", token: await tenant.employee.token(), body: { status: "in_progress" } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: task.id, status: "in_progress", title: "work" });
    const rows = await audit(tenant.id, "tasks.update");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: tenant.employee.id, before: { status: "open" }, after: { status: "in_progress" } });
  });

  it("a manager changes every field, including clearing them", async () => {
    const tenant = await seedTenant();
    const token = await tenant.manager.token();
    const task = await createTask(token, { title: "old", description: "d", assignedTo: tenant.employee.id, dueAt: new Date().toISOString(), customerId: tenant.customerRecordId });
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await call(`/v1/tasks/${task.id}`, {
      method: "PATCH",
      token,
      body: { title: "new", description: null, assignedTo: tenant.colleague.id, dueAt: due, customerId: null, status: "blocked" },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ title: "new", description: null, assignedTo: tenant.colleague.id, dueAt: due, customerId: null, status: "blocked" });
  });
});

describe("DELETE /v1/tasks/{id}", () => {
  it("an admin soft-deletes: the task disappears from lists and reads for everyone, the row stays, audited", async () => {
    const tenant = await seedTenant();
    const task = await createTask(await tenant.manager.token(), { title: "to go", assignedTo: tenant.employee.id });
    const keep = await createTask(await tenant.manager.token(), { title: "stays", assignedTo: tenant.employee.id });
    const res = await call(`/v1/tasks/${task.id}`, { method: "DELETE", token: await tenant.admin.token() });
    expect(res.status).toBe(204);
    for (const person of [tenant.admin, tenant.owner, tenant.manager, tenant.employee]) {
      const token = await person.token();
      await expectProblem(await call(`/v1/tasks/${task.id}`, { token }), 404, "not_found");
      expect(await listIds("/v1/tasks", token)).toEqual([keep.id]);
      await expectProblem(await call(`/v1/tasks/${task.id}/comments`, { token }), 404, "not_found");
    }
    await expectProblem(await call(`/v1/tasks/${task.id}`, { method: "DELETE", token: await tenant.admin.token() }), 404, "not_found");
    const row = await withAdmin((c) => c.query("select deleted_at is not null as deleted, deleted_by from public.tasks where id = $1", [task.id]));
    expect(row.rows[0]).toEqual({ deleted: true, deleted_by: tenant.admin.id });
    const rows = await audit(tenant.id, "tasks.update");
    expect(rows).toEqual([expect.objectContaining({ actor_id: tenant.admin.id, resource_id: task.id })]);
    expect(rows[0]!.after!.deleted_at).not.toBeNull();
  });
});

describe("comments", () => {
  it("the assignee and a manager comment; both read the thread oldest first; audited", async () => {
    const tenant = await seedTenant();
    const task = await createTask(await tenant.manager.token(), { title: "discuss", assignedTo: tenant.employee.id });
    const first = await call(`/v1/tasks/${task.id}/comments`, { token: await tenant.employee.token(), body: { body: "On it" } });
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({ taskId: task.id, authorId: tenant.employee.id, body: "On it" });
    expect((await call(`/v1/tasks/${task.id}/comments`, { token: await tenant.manager.token(), body: { body: "Thanks" } })).status).toBe(201);
    const page = await json<Page<{ body: string }>>(await call(`/v1/tasks/${task.id}/comments`, { token: await tenant.employee.token() }));
    expect(page.data.map((c) => c.body)).toEqual(["On it", "Thanks"]);
    expect(await audit(tenant.id, "task_comments.insert")).toHaveLength(2);
  });

  it("pages comments with a cursor", async () => {
    const tenant = await seedTenant();
    const token = await tenant.employee.token();
    const task = await createTask(token, { title: "chatty" });
    for (const body of ["1", "2", "3"]) await call(`/v1/tasks/${task.id}/comments`, { token, body: { body } });
    const p1 = await json<Page<{ body: string }>>(await call(`/v1/tasks/${task.id}/comments?limit=2`, { token }));
    const p2 = await json<Page<{ body: string }>>(await call(`/v1/tasks/${task.id}/comments?limit=2&cursor=${p1.nextCursor}`, { token }));
    expect([...p1.data, ...p2.data].map((c) => c.body)).toEqual(["1", "2", "3"]);
    expect(p2.nextCursor).toBeNull();
  });
});

describe("time logs", () => {
  it("the assignee logs minutes on a day; loggedOn defaults to today in their time zone; audited", async () => {
    const tenant = await seedTenant();
    await withAdmin((c) => c.query("update public.user_settings set timezone = 'Pacific/Kiritimati' where user_id = $1", [tenant.employee.id]));
    const token = await tenant.employee.token();
    const task = await createTask(token, { title: "billable" });
    const res = await call(`/v1/tasks/${task.id}/time-logs`, { token, body: { minutes: 90, loggedOn: "2026-11-20", note: "x-rays" } });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ taskId: task.id, userId: tenant.employee.id, minutes: 90, loggedOn: "2026-11-20", note: "x-rays" });
    const today = await json<{ loggedOn: string }>(await call(`/v1/tasks/${task.id}/time-logs`, { token, body: { minutes: 1440 } }));
    expect(today.loggedOn).toBe(new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(new Date()));
    const page = await json<Page<{ minutes: number }>>(await call(`/v1/tasks/${task.id}/time-logs`, { token }));
    expect(page.data.map((l) => l.minutes)).toEqual([90, 1440]);
    expect(await audit(tenant.id, "time_logs.insert")).toHaveLength(2);
  });

  it("an employee lists their own entries; tasks.read_all lists everyone's", async () => {
    const tenant = await seedTenant();
    const manager = await tenant.manager.token();
    const task = await createTask(manager, { title: "shared work", assignedTo: tenant.employee.id });
    await call(`/v1/tasks/${task.id}/time-logs`, { token: manager, body: { minutes: 15 } });
    await call(`/v1/tasks/${task.id}/time-logs`, { token: await tenant.employee.token(), body: { minutes: 30 } });
    const mine = await json<Page<{ minutes: number }>>(await call(`/v1/tasks/${task.id}/time-logs`, { token: await tenant.employee.token() }));
    expect(mine.data.map((l) => l.minutes)).toEqual([30]);
    const all = await json<Page<{ minutes: number }>>(await call(`/v1/tasks/${task.id}/time-logs`, { token: manager }));
    expect(all.data.map((l) => l.minutes)).toEqual([15, 30]);
  });
});
