import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createNote, moveTo, noteTitles, type NoteBody, type Page } from "./helpers.ts";

const audit = (tenantId: string, action: string) =>
  withAdmin((c) =>
    c.query<{ actor_id: string; resource_id: string; after: Record<string, unknown> | null }>(
      "select actor_id, resource_id, after from public.audit_log where tenant_id = $1 and action = $2 order by id",
      [tenantId, action],
    ),
  ).then((r) => r.rows);

describe("POST /v1/notes", () => {
  it("writes a private note; it is audited", async () => {
    const t = await seedTenant();
    const res = await call("/v1/notes", { token: await t.employee.token(), body: { title: "Reminder", body: "Ask about the bridge" } });
    expect(res.status).toBe(201);
    const note = await json<NoteBody>(res);
    expect(note).toMatchObject({
      authorId: t.employee.id,
      title: "Reminder",
      body: "Ask about the bridge",
      departmentId: null,
      sharedWithDepartment: false,
      customerId: null,
      sharedWithCustomer: false,
    });
    expect(await audit(t.id, "notes.insert")).toEqual([expect.objectContaining({ actor_id: t.employee.id, resource_id: note.id })]);
  });

  it("shareWithDepartment shares with the author's own department", async () => {
    const t = await seedTenant();
    const note = await createNote(await t.employee.token(), { title: "For sales", shareWithDepartment: true });
    expect(note).toMatchObject({ departmentId: t.departments.sales, sharedWithDepartment: true });
  });

  it("shares with a customer the author can see", async () => {
    const t = await seedTenant();
    const note = await createNote(await t.manager.token(), { title: "Aftercare", customerId: t.customerRecordId, shareWithCustomer: true });
    expect(note).toMatchObject({ customerId: t.customerRecordId, sharedWithCustomer: true });
  });
});

describe("GET /v1/notes", () => {
  it("lists own notes and, with notes.read_team, the department's shared ones, oldest first", async () => {
    const t = await seedTenant();
    await moveTo(t, t.manager, "sales");
    await createNote(await t.employee.token(), { title: "sales shared", shareWithDepartment: true });
    await createNote(await t.employee.token(), { title: "employee private" });
    await createNote(await t.manager.token(), { title: "manager own" });
    expect(await noteTitles(await t.manager.token())).toEqual(["sales shared", "manager own"]);
    expect(await noteTitles(await t.employee.token())).toEqual(["sales shared", "employee private"]);
  });

  it("pages with a cursor that stays stable while notes are added", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    for (const title of ["1", "2", "3", "4"]) await createNote(token, { title });
    const p1 = await json<Page<NoteBody>>(await call("/v1/notes?limit=3", { token }));
    await Promise.all([createNote(token, { title: "5" }), createNote(token, { title: "6" })]);
    const p2 = await json<Page<NoteBody>>(await call(`/v1/notes?limit=3&cursor=${p1.nextCursor}`, { token }));
    const seen = [...p1.data, ...p2.data].map((n) => n.title);
    expect(seen.slice(0, 4)).toEqual(["1", "2", "3", "4"]);
    expect(seen.slice(4).sort()).toEqual(["5", "6"]);
    expect(p2.nextCursor).toBeNull();
  });
});

describe("GET /v1/notes/{id}", () => {
  it("the author and a team reader read it", async () => {
    const t = await seedTenant();
    await moveTo(t, t.manager, "sales");
    const note = await createNote(await t.employee.token(), { title: "shared", shareWithDepartment: true });
    for (const person of [t.employee, t.manager]) {
      expect(await json(await call(`/v1/notes/${note.id}`, { token: await person.token() }))).toEqual(note);
    }
  });
});

describe("PATCH /v1/notes/{id}", () => {
  it("the author edits, shares and unshares; audited with before and after", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    await withAdmin((c) => c.query("update public.customers set assigned_to = $2 where id = $1", [t.customerRecordId, t.employee.id]));
    const note = await createNote(token, { title: "draft" });
    const shared = await call(`/v1/notes/${note.id}`, {
      method: "PATCH",
      token,
      body: { title: "final", body: "text", shareWithDepartment: true, customerId: t.customerRecordId, shareWithCustomer: true },
    });
    expect(shared.status).toBe(200);
    expect(await json(shared)).toMatchObject({
      title: "final",
      body: "text",
      departmentId: t.departments.sales,
      sharedWithDepartment: true,
      customerId: t.customerRecordId,
      sharedWithCustomer: true,
    });
    const unshared = await call(`/v1/notes/${note.id}`, { method: "PATCH", token, body: { shareWithDepartment: false, customerId: null, shareWithCustomer: false } });
    expect(await json(unshared)).toMatchObject({ title: "final", departmentId: null, sharedWithDepartment: false, customerId: null, sharedWithCustomer: false });
    const rows = await audit(t.id, "notes.update");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor_id: t.employee.id, after: { title: "final" } });
  });
});

describe("DELETE /v1/notes/{id}", () => {
  it("the author soft-deletes: gone for the author, the team and the customer; the row stays; audited", async () => {
    const t = await seedTenant();
    await moveTo(t, t.manager, "sales");
    await withAdmin((c) => c.query("update public.customers set assigned_to = $2 where id = $1", [t.customerRecordId, t.employee.id]));
    const token = await t.employee.token();
    const note = await createNote(token, { title: "soon gone", shareWithDepartment: true, customerId: t.customerRecordId, shareWithCustomer: true });
    await createNote(token, { title: "stays" });
    expect(await noteTitles(await t.customer.token(), "/v1/portal/notes")).toEqual(["soon gone"]);
    expect((await call(`/v1/notes/${note.id}`, { method: "DELETE", token })).status).toBe(204);
    for (const person of [t.employee, t.manager]) {
      await expectProblem(await call(`/v1/notes/${note.id}`, { token: await person.token() }), 404, "not_found");
    }
    expect(await noteTitles(token)).toEqual(["stays"]);
    expect(await noteTitles(await t.manager.token())).toEqual([]);
    expect(await noteTitles(await t.customer.token(), "/v1/portal/notes")).toEqual([]);
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token, body: { title: "back" } }), 404, "not_found");
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "DELETE", token }), 404, "not_found");
    const row = await withAdmin((c) => c.query("select title, deleted_at is not null as deleted from public.notes where id = $1", [note.id]));
    expect(row.rows[0]).toEqual({ title: "soon gone", deleted: true });
    expect(await audit(t.id, "notes.update")).toEqual([expect.objectContaining({ actor_id: t.employee.id, resource_id: note.id })]);
  });
});
