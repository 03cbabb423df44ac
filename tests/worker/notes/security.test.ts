// Who reads and writes which note is decided by Postgres; each case goes through the Worker.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createNote, moveTo, noteTitles } from "./helpers.ts";

const row = (id: string) =>
  withAdmin((c) => c.query("select title, deleted_at from public.notes where id = $1", [id])).then((r) => r.rows[0]);

describe("department sharing", () => {
  it("an employee cannot read another department's shared note", async () => {
    const t = await seedTenant();
    const note = await createNote(await t.colleague.token(), { title: "support only", shareWithDepartment: true });
    const token = await t.employee.token();
    expect(await noteTitles(token)).toEqual([]);
    await expectProblem(await call(`/v1/notes/${note.id}`, { token }), 404, "not_found");
  });

  it("an employee reads their own department's team notes (notes.read_team by default); a revocation ends that on the next request", async () => {
    const t = await seedTenant();
    await moveTo(t, t.colleague, "sales");
    const note = await createNote(await t.employee.token(), { title: "sales team", shareWithDepartment: true });
    await createNote(await t.employee.token(), { title: "sales private" });
    const token = await t.colleague.token();
    expect(await noteTitles(token)).toEqual(["sales team"]);
    expect((await call(`/v1/notes/${note.id}`, { token })).status).toBe(200);
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'notes.read_team', false)", [t.id, t.colleague.id]));
    expect(await noteTitles(token)).toEqual([]);
    await expectProblem(await call(`/v1/notes/${note.id}`, { token }), 404, "not_found");
  });

  it("a manager (notes.read_team) reads their department's shared notes, not another department's, not private ones", async () => {
    const t = await seedTenant();
    await moveTo(t, t.manager, "sales");
    const sales = await createNote(await t.employee.token(), { title: "sales shared", shareWithDepartment: true });
    await createNote(await t.employee.token(), { title: "sales private" });
    const support = await createNote(await t.colleague.token(), { title: "support shared", shareWithDepartment: true });
    const token = await t.manager.token();
    expect(await noteTitles(token)).toEqual(["sales shared"]);
    expect((await call(`/v1/notes/${sales.id}`, { token })).status).toBe(200);
    await expectProblem(await call(`/v1/notes/${support.id}`, { token }), 404, "not_found");
  });

  it("an owner sees only their own notes, not every department's", async () => {
    const t = await seedTenant();
    await createNote(await t.employee.token(), { title: "sales shared", shareWithDepartment: true });
    expect(await noteTitles(await t.owner.token())).toEqual([]);
  });
});

describe("only the author writes", () => {
  it("a team reader's PATCH and DELETE are 403, a stranger's 404; the note is unchanged", async () => {
    const t = await seedTenant();
    await moveTo(t, t.manager, "sales");
    const note = await createNote(await t.employee.token(), { title: "mine", shareWithDepartment: true });
    const manager = await t.manager.token();
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token: manager, body: { title: "ours" } }), 403, "forbidden");
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "DELETE", token: manager }), 403, "forbidden");
    const colleague = await t.colleague.token();
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token: colleague, body: { title: "theirs" } }), 404, "not_found");
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "DELETE", token: colleague }), 404, "not_found");
    for (const admin of [t.owner, t.admin]) {
      await expectProblem(await call(`/v1/notes/${note.id}`, { method: "DELETE", token: await admin.token() }), 404, "not_found");
    }
    expect(await row(note.id)).toMatchObject({ title: "mine", deleted_at: null });
  });

  it("a note may name only a customer the author can see (404 otherwise)", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    await expectProblem(await call("/v1/notes", { token, body: { title: "x", customerId: t.customerRecordId, shareWithCustomer: true } }), 404, "not_found");
    const note = await createNote(token, { title: "y" });
    await expectProblem(await call(`/v1/notes/${note.id}`, { method: "PATCH", token, body: { customerId: t.customerRecordId } }), 404, "not_found");
    expect(await noteTitles(await t.customer.token(), "/v1/portal/notes")).toEqual([]);
  });
});

describe("another tenant", () => {
  it("its note ids are 404 on every route, its customers cannot be named, and its note is untouched", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const theirs = await createNote(await b.manager.token(), { title: "B's" });
    const token = await a.manager.token();
    await expectProblem(await call(`/v1/notes/${theirs.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/notes/${theirs.id}`, { method: "PATCH", token, body: { title: "hijacked" } }), 404, "not_found");
    await expectProblem(await call(`/v1/notes/${theirs.id}`, { method: "DELETE", token }), 404, "not_found");
    await expectProblem(await call("/v1/notes", { token, body: { title: "x", customerId: b.customerRecordId, shareWithCustomer: true } }), 404, "not_found");
    expect(await noteTitles(token)).toEqual([]);
    expect(await row(theirs.id)).toMatchObject({ title: "B's", deleted_at: null });
  });

  it("a customer gets 403 on the staff note routes", async () => {
    const t = await seedTenant();
    const token = await t.customer.token();
    await expectProblem(await call("/v1/notes", { token }), 403, "forbidden");
    await expectProblem(await call("/v1/notes", { token, body: { title: "from a customer" } }), 403, "forbidden");
  });
});
