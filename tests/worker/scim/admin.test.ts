// The SCIM control plane: tokens (shown once, hash only, rotate with overlap, revoke) and group
// mappings, for owners and admins only.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { memberView, PATCH_OP, personOf, scim, scimClient } from "./support.ts";

interface Token { id: string; name: string; token?: string; status: string; expiresAt: string; rotatedFrom: string | null; previous?: Token }

describe("SCIM admin: tokens", () => {
  it("creates a token shown once, stores only its SHA-256, lists it without the secret", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const res = await call("/v1/admin/scim/tokens", { token, body: { name: "Okta", expiresInDays: 30 } });
    expect(res.status).toBe(201);
    const created = await json<Token>(res);
    expect(created.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: "Okta", status: "active", rotatedFrom: null });
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const stored = await withAdmin((c) => c.query<{ hex: string }>("select encode(token_hash, 'hex') as hex from public.scim_tokens where id = $1", [created.id]));
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(created.token));
    expect(stored.rows[0]!.hex).toBe([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
    const listed = await json<{ items: Token[] }>(await call("/v1/admin/scim/tokens", { token }));
    expect(listed.items.map((i) => i.id)).toEqual([created.id]);
    expect(JSON.stringify(listed)).not.toContain(created.token!);
  });

  it("rotates: a new token with the same name, the old one expiring at the end of the overlap", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const created = await json<Token>(await call("/v1/admin/scim/tokens", { token, body: { name: "Entra" } }));
    const res = await call(`/v1/admin/scim/tokens/${created.id}/rotate`, { token, body: { overlapMinutes: 10 } });
    expect(res.status).toBe(201);
    const rotated = await json<Token>(res);
    expect(rotated).toMatchObject({ name: "Entra", rotatedFrom: created.id, status: "active" });
    expect(rotated.token).not.toBe(created.token);
    const overlap = (Date.parse(rotated.previous!.expiresAt) - Date.now()) / 60_000;
    expect(overlap).toBeGreaterThan(9.5);
    expect(overlap).toBeLessThan(10.5);
    await expectProblem(await call(`/v1/admin/scim/tokens/${crypto.randomUUID()}/rotate`, { token, body: {} }), 404, "not_found");
  });

  it("revokes at once, idempotently; a revoked token cannot be rotated", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const created = await json<Token>(await call("/v1/admin/scim/tokens", { token, body: { name: "x" } }));
    const first = await call(`/v1/admin/scim/tokens/${created.id}`, { method: "DELETE", token });
    expect(first.status).toBe(200);
    expect((await json<Token>(first)).status).toBe("revoked");
    const again = await call(`/v1/admin/scim/tokens/${created.id}`, { method: "DELETE", token });
    expect(again.status).toBe(200);
    await expectProblem(await call(`/v1/admin/scim/tokens/${created.id}/rotate`, { token, body: {} }), 404, "not_found");
  });

  it("is for owners and admins only; another tenant's token is 404", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    const mine = await json<Token>(await call("/v1/admin/scim/tokens", { token: await t.admin.token(), body: { name: "x" } }));
    for (const who of [t.manager, t.employee]) {
      const token = await who.token();
      await expectProblem(await call("/v1/admin/scim/tokens", { token }), 403, "forbidden");
      await expectProblem(await call("/v1/admin/scim/tokens", { token, body: { name: "x" } }), 403, "forbidden");
      await expectProblem(await call("/v1/admin/scim/tokens", { token, body: { nope: 1 } }), 403, "forbidden");
      await expectProblem(await call(`/v1/admin/scim/tokens/${mine.id}`, { method: "DELETE", token }), 403, "forbidden");
    }
    const foreign = await other.admin.token();
    await expectProblem(await call(`/v1/admin/scim/tokens/${mine.id}`, { method: "DELETE", token: foreign }), 404, "not_found");
    await expectProblem(await call(`/v1/admin/scim/tokens/${mine.id}/rotate`, { token: foreign, body: {} }), 404, "not_found");
  });

  it("refuses bad input with 400 naming the field", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    for (const [body, path] of [[{}, "body.name"], [{ name: "x", expiresInDays: 0 }, "body.expiresInDays"], [{ name: "x", expiresInDays: 731 }, "body.expiresInDays"]] as const) {
      const problem = await expectProblem(await call("/v1/admin/scim/tokens", { token, body }), 400, "bad_request");
      expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain(path);
    }
    await expectProblem(await call("/v1/admin/scim/tokens/not-a-uuid", { method: "DELETE", token }), 400, "bad_request");
  });
});

describe("SCIM admin: group mappings", () => {
  it("starts with the defaults, sets (case-insensitively by name) and deletes", async () => {
    const t = await seedTenant();
    const token = await t.admin.token();
    const list = async () => (await json<{ items: { id: string; groupName: string; role: string; department: string | null }[] }>(await call("/v1/admin/scim/group-mappings", { token }))).items;
    expect((await list()).map(({ groupName, role, department }) => ({ groupName, role, department }))).toEqual([
      { groupName: "Admins", role: "admin", department: null },
      { groupName: "Employees", role: "employee", department: null },
      { groupName: "Managers", role: "manager", department: null },
      { groupName: "Sales-Team", role: "employee", department: "Sales" },
      { groupName: "Support-Team", role: "employee", department: "Support" },
    ]);
    const set = await call("/v1/admin/scim/group-mappings", { method: "PUT", token, body: { groupName: "sales-team", role: "manager", department: "Sales" } });
    expect(set.status).toBe(200);
    expect(await json(set)).toMatchObject({ groupName: "sales-team", role: "manager", department: "Sales" });
    expect((await list()).length).toBe(5);
    const added = await json<{ id: string }>(await call("/v1/admin/scim/group-mappings", { method: "PUT", token, body: { groupName: "Contractors", role: "employee" } }));
    expect((await list()).length).toBe(6);
    expect((await call(`/v1/admin/scim/group-mappings/${added.id}`, { method: "DELETE", token })).status).toBe(200);
    await expectProblem(await call(`/v1/admin/scim/group-mappings/${added.id}`, { method: "DELETE", token }), 404, "not_found");
    const owner = await call("/v1/admin/scim/group-mappings", { method: "PUT", token, body: { groupName: "Owners", role: "owner" } });
    await expectProblem(owner, 400, "bad_request");
  });

  it("a mapping set or deleted applies to the group's members at once", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const user = await scim<{ id: string }>(await idp.send("/Users", { body: { userName: `c-${crypto.randomUUID().slice(0, 6)}@example.test` } }), 201);
    const group = await scim<{ id: string }>(await idp.send("/Groups", { body: { displayName: "Contractors" } }), 201);
    await idp.send(`/Groups/${group.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: user.id }] }] } });
    const person = await personOf(user.id);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: null });
    const token = await t.admin.token();
    const set = await json<{ id: string }>(await call("/v1/admin/scim/group-mappings", { method: "PUT", token, body: { groupName: "contractors", role: "manager", department: "Field work" } }));
    expect(await memberView(t, person.userId)).toMatchObject({ role: "manager", department: "Field work" });
    expect((await call(`/v1/admin/scim/group-mappings/${set.id}`, { method: "DELETE", token })).status).toBe(200);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: null });
  });

  it("is for owners and admins only", async () => {
    const t = await seedTenant();
    const token = await t.manager.token();
    await expectProblem(await call("/v1/admin/scim/group-mappings", { token }), 403, "forbidden");
    await expectProblem(await call("/v1/admin/scim/group-mappings", { method: "PUT", token, body: { groupName: "Admins", role: "admin" } }), 403, "forbidden");
  });
});
