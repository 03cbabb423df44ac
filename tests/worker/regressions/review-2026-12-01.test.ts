// Security review of invitations and SCIM (2026-12-01): each test guards a behaviour an insider or
// an outsider could otherwise abuse.
import { describe, expect, inject, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { createUser, seedTenant, type SeededTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { expectScimError, PATCH_OP, scim, scimClient } from "../scim/support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const short = () => crypto.randomUUID().slice(0, 8);

type Message = { to: string; redirectTo: string };

async function outbox(to: string): Promise<Message[]> {
  const key = inject("supabaseSecretKey");
  const res = await fetch(`${inject("supabaseUrl")}/outbox`, { headers: { authorization: `Bearer ${key}`, apikey: key } });
  expect(res.status).toBe(200);
  return ((await res.json()) as Message[]).filter((m) => m.to === to);
}

async function invited(t: SeededTenant, body: Record<string, unknown>, token?: string) {
  const res = await call("/v1/members/invitations", { method: "POST", token: token ?? (await t.owner.token()), body });
  expect(res.status, await res.clone().text()).toBe(201);
  const invitation = await json<{ id: string; email: string }>(res);
  await deliver("invitation-email", { tenantId: t.id, invitationId: invitation.id });
  const message = (await outbox(invitation.email)).at(-1)!;
  return { invitation, secret: new URL(message.redirectTo).searchParams.get("invitation_token")! };
}

/** The Auth user the invitation email made (or found) for this address. */
async function personOf(email: string): Promise<{ id: string; email: string }> {
  const { rows } = await withAdmin((c) => c.query<{ id: string }>("select id from auth.users where lower(email) = $1", [email]));
  return rows[0] ? { id: rows[0].id, email } : createUser(email);
}

const accept = (token: string, secret: string) => call("/v1/invitations/accept", { method: "POST", token, body: { token: secret } });

const membership = async (tenantId: string, userId: string) =>
  (await withAdmin((c) => c.query<{ role: string; active: boolean; email: string | null }>("select role, active, email from public.memberships where tenant_id = $1 and user_id = $2", [tenantId, userId]))).rows[0];

describe("invitations under attack", () => {
  it("one invitation accepted twice at once by its person: one membership, both answers 200", async () => {
    const t = await seedTenant();
    const email = `twice-${short()}@example.test`;
    const { secret } = await invited(t, { email, role: "employee" });
    const person = await personOf(email);
    const token = await hs256Token({ id: person.id, email });
    const [a, b] = await Promise.all([accept(token, secret), accept(token, secret)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const flags = [(await json<{ alreadyAccepted: boolean }>(a)).alreadyAccepted, (await json<{ alreadyAccepted: boolean }>(b)).alreadyAccepted].sort();
    expect(flags).toEqual([false, true]);
    const { rows } = await withAdmin((c) => c.query("select count(*)::int as n from public.memberships where tenant_id = $1 and user_id = $2", [t.id, person.id]));
    expect(rows[0].n).toBe(1);
  });

  it("a leaked link is useless to another account, and tells it nothing about the invitation", async () => {
    const t = await seedTenant();
    const email = `leak-${short()}@example.test`;
    const { invitation, secret } = await invited(t, { email, role: "admin" });
    const thief = await createUser(`thief-${short()}@example.test`);
    const res = await accept(await hs256Token({ id: thief.id, email: thief.email }), secret);
    const body = await expectProblem(res, 403, "invitation_wrong_email");
    expect(JSON.stringify(body)).not.toContain(email);
    expect(JSON.stringify(body)).not.toContain(t.id);
    const { rows } = await withAdmin((c) => c.query("select accepted_at from public.invitations where id = $1", [invitation.id]));
    expect(rows[0].accepted_at).toBeNull();
    expect(await membership(t.id, thief.id)).toBeUndefined();
  });

  it("a member of tenant A who also holds members.manage elsewhere cannot revoke or list tenant B's invitations", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const { invitation } = await invited(b, { email: `b-${short()}@example.test`, role: "employee" });
    const res = await call(`/v1/members/invitations/${invitation.id}`, { method: "DELETE", token: await a.owner.token() });
    await expectProblem(res, 404, "not_found");
    const listed = await call("/v1/members/invitations", { token: await a.owner.token() });
    const list = await json<{ items?: { id: string }[]; data?: { id: string }[] }>(listed);
    expect(listed.status, JSON.stringify(list)).toBe(200);
    expect((list.items ?? list.data)!.map((i) => i.id)).not.toContain(invitation.id);
    const { rows } = await withAdmin((c) => c.query("select revoked_at from public.invitations where id = $1", [invitation.id]));
    expect(rows[0].revoked_at).toBeNull();
  });

  it("a manager given members.manage cannot invite above their role, nor a second account of their own as admin", async () => {
    const t = await seedTenant();
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'members.manage', true)", [t.id, t.manager.id]));
    const res = await call("/v1/members/invitations", { method: "POST", token: await t.manager.token(), body: { email: `alt-${short()}@example.test`, role: "admin" } });
    expect(res.status).toBe(403);
    // As manager (their own rank) it works; the owner's invitation of an admin is not theirs to replace or revoke.
    const ok = await call("/v1/members/invitations", { method: "POST", token: await t.manager.token(), body: { email: `alt-${short()}@example.test`, role: "manager" } });
    expect(ok.status).toBe(201);
    const email = `adm-${short()}@example.test`;
    const { invitation } = await invited(t, { email, role: "admin" });
    const replace = await call("/v1/members/invitations", { method: "POST", token: await t.manager.token(), body: { email, role: "employee" } });
    expect(replace.status).toBeGreaterThanOrEqual(400);
    expect(replace.status).toBeLessThan(500);
    const revoke = await call(`/v1/members/invitations/${invitation.id}`, { method: "DELETE", token: await t.manager.token() });
    expect(revoke.status).toBe(403);
    const { rows } = await withAdmin((c) => c.query("select revoked_at from public.invitations where id = $1", [invitation.id]));
    expect(rows[0].revoked_at).toBeNull();
  });

  it("an invitation sent by an admin who is then demoted no longer admits anyone as admin", async () => {
    const t = await seedTenant();
    const email = `late-${short()}@example.test`;
    const { secret } = await invited(t, { email, role: "admin" }, await t.admin.token());
    await withAdmin((c) => c.query("update public.memberships set role = 'employee' where tenant_id = $1 and user_id = $2", [t.id, t.admin.id]));
    const person = await personOf(email);
    await expectProblem(await accept(await hs256Token({ id: person.id, email }), secret), 410, "invitation_revoked");
    expect(await membership(t.id, person.id)).toBeUndefined();
  });

  it("an offboarded (deactivated) member cannot come back through a fresh invitation, and a member of another business keeps their active one", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    await withAdmin((c) => c.query("update public.memberships set active = false where tenant_id = $1 and user_id = $2", [t.id, t.employee.id]));
    // The invite itself is refused: the address is a (deactivated) member's.
    await expectProblem(await call("/v1/members/invitations", { method: "POST", token: await t.owner.token(), body: { email: t.employee.email, role: "employee" } }), 409, "already_member");
    // Someone of another business joins: their active business stays theirs, the token must be refreshed.
    const { secret } = await invited(t, { email: other.manager.email, role: "employee" });
    const res = await accept(await other.manager.token(), secret);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ tenantId: t.id, tokenRefreshRequired: true, alreadyAccepted: false });
    const settings = await withAdmin((c) => c.query("select active_tenant_id from public.user_settings where user_id = $1", [other.manager.id]));
    expect(settings.rows[0].active_tenant_id).toBe(other.id);
    expect(await membership(other.id, other.manager.id)).toMatchObject({ role: "manager", active: true });
  });

  it("malformed invitation input is a 400, never a 500", async () => {
    const t = await seedTenant();
    const owner = await t.owner.token();
    for (const body of [
      { email: "a\u0000b@example.test", role: "employee" },
      { email: `${"x".repeat(400)}@example.test`, role: "employee" },
      { email: "ok@example.test", role: "superuser" },
      { email: "ok@example.test", role: "employee", departmentId: "not-a-uuid" },
      { email: "ok@example.test", role: "employee", customerId: crypto.randomUUID() },
    ]) {
      const res = await call("/v1/members/invitations", { method: "POST", token: owner, body });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    for (const token of ["\u0000".repeat(43), "a".repeat(44), ""]) {
      const res = await call("/v1/invitations/accept", { method: "POST", token: owner, body: { token } });
      expect(res.status).toBe(400);
    }
  });
});

describe("SCIM under attack", () => {
  it("SCIM of tenant A provisioning a person of tenant B touches nothing of B nor the person's account", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const idp = await scimClient(a);
    const before = await withAdmin((c) => c.query("select email, raw_user_meta_data::text as meta from auth.users where id = $1", [b.owner.id]));
    const user = await scim<{ id: string }>(await idp.send("/Users", { body: { schemas: [USER], userName: b.owner.email, displayName: "Renamed by A", active: true } }), 201);
    await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] } }), 200);
    await scim(await idp.send(`/Users/${user.id}`, { method: "PUT", body: { schemas: [USER], userName: `moved-${short()}@example.test`, active: false } }), 200);
    expect((await idp.send(`/Users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await membership(b.id, b.owner.id)).toMatchObject({ role: "owner", active: true, email: b.owner.email });
    const after = await withAdmin((c) => c.query("select email, raw_user_meta_data::text as meta from auth.users where id = $1", [b.owner.id]));
    expect(after.rows).toEqual(before.rows);
    const settings = await withAdmin((c) => c.query("select active_tenant_id from public.user_settings where user_id = $1", [b.owner.id]));
    expect(settings.rows[0].active_tenant_id).toBe(b.id);
    expect((await call("/v1/me", { token: await b.owner.token() })).status).toBe(200);
  });

  it("a group of tenant B cannot be joined, nor tenant B's user added, with tenant A's token", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const [idpA, idpB] = await Promise.all([scimClient(a), scimClient(b)]);
    const userB = await scim<{ id: string }>(await idpB.send("/Users", { body: { schemas: [USER], userName: `vb-${short()}@example.test` } }), 201);
    const groupA = await scim<{ id: string }>(await idpA.send("/Groups", { body: { displayName: "Admins" } }), 201);
    const res = await idpA.send(`/Groups/${groupA.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: userB.id }] }] } });
    await expectScimError(res, 404);
    const put = await idpA.send(`/Users/${userB.id}`, { method: "PUT", body: { schemas: [USER], userName: "x@example.test", active: false } });
    await expectScimError(put, 404);
    const { rows } = await withAdmin((c) => c.query("select active from public.scim_users where id = $1", [userB.id]));
    expect(rows[0].active).toBe(true);
  });

  it("SCIM filters and bodies that are malformed, huge or carry NUL bytes are 4xx, never 500", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const failures: string[] = [];
    const filters = [
      'userName eq "a\u0000b"',
      'userName eq "x" or 1=1',
      "userName eq \"x'); drop table public.scim_users; --\"",
      'meta.created gt "0000-01-01T00:00:00Z"',
      'meta.created gt "2024-13-45T99:99:99Z"',
      'emails[type eq "work" and value co "%"].value eq "x"',
      'emails[value pr]',
      'name.givenName[value eq "x"]',
      `userName eq "${"x".repeat(1990)}"`,
      "(".repeat(500),
      'not (not (not (userName pr)))',
      'userName sw "\\\\"',
    ];
    for (const filter of filters) {
      const res = await idp.send(`/Users?filter=${encodeURIComponent(filter)}`);
      if (res.status >= 500) failures.push(`filter ${filter.slice(0, 60)}: ${res.status}`);
    }
    for (const q of ["startIndex=99999999999", "count=-1", "startIndex=1e9", "attributes=%00", "excludedAttributes=" + "a,".repeat(2000), "sortBy=userName;drop"]) {
      const res = await idp.send(`/Users?${q}`);
      if (res.status >= 500) failures.push(`query ${q.slice(0, 60)}: ${res.status}`);
    }
    const bodies: unknown[] = [
      { schemas: [USER], userName: "nul\u0000@example.test" },
      { schemas: [USER], userName: `ok-${short()}@example.test`, title: "a\u0000b" },
      { schemas: [USER], userName: `ok-${short()}@example.test`, externalId: "e\u0000" },
      { schemas: [USER], userName: `ok-${short()}@example.test`, nested: { ["k\u0000"]: 1 } },
      { schemas: [USER], userName: `ok-${short()}@example.test`, emails: "not-a-list" },
      { schemas: [USER], userName: 42 },
      [],
      null,
    ];
    for (const body of bodies) {
      const res = await idp.send("/Users", { body });
      if (res.status >= 500) failures.push(`POST ${JSON.stringify(body)}: ${res.status}`);
    }
    const user = await scim<{ id: string }>(await idp.send("/Users", { body: { schemas: [USER], userName: `p-${short()}@example.test` } }), 201);
    const ops: unknown[] = [
      [{ op: "add", path: "title", value: "a\u0000b" }],
      [{ op: "replace", path: "displayName", value: "\u0000" }],
      [{ op: "replace", path: "emails[type eq \"work\"].value", value: "x\u0000@example.test" }],
      [{ op: "replace", path: "emails[type eq", value: "x" }],
      [{ op: "remove", path: "userName" }],
      [{ op: "replace", path: "userName", value: { nested: true } }],
      [{ op: "replace", value: { active: "maybe" } }],
      [{ op: "replace", path: "active", value: "maybe" }],
      [{ op: "add", path: "x".repeat(500), value: "y".repeat(100_000) }],
    ];
    for (const Operations of ops) {
      const res = await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations } });
      if (res.status >= 500) failures.push(`PATCH ${JSON.stringify(Operations).slice(0, 80)}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("two concurrent creates of the same userName: one user, no 500", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const body = { schemas: [USER], userName: `race-${short()}@example.test`, externalId: `ext-${short()}` };
    const results = await Promise.all([idp.send("/Users", { body }), idp.send("/Users", { body }), idp.send("/Users", { body })]);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const { rows } = await withAdmin((c) => c.query("select count(*)::int as n from public.scim_users where tenant_id = $1 and user_name = $2", [t.id, body.userName]));
    expect(rows[0].n).toBe(1);
  });

  it("a revoked token stops at once even mid-rotation; a rotated-away token cannot be rotated into new life after revoke", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const admin = await t.admin.token();
    const rotated = await json<{ token: string; id: string }>(await call(`/v1/admin/scim/tokens/${idp.tokenId}/rotate`, { token: admin, body: { overlapMinutes: 60 } }));
    expect((await call(`/v1/admin/scim/tokens/${idp.tokenId}`, { method: "DELETE", token: admin })).status).toBe(200);
    await expectScimError(await idp.send("/Users"), 401);
    await scim(await idp.send("/Users", { token: rotated.token }), 200);
    const again = await call(`/v1/admin/scim/tokens/${idp.tokenId}/rotate`, { token: admin, body: { overlapMinutes: 60 } });
    expect(again.status).toBe(404);
    // A manager (no owner/admin role) cannot mint, rotate or revoke one, even with members.manage.
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'members.manage', true)", [t.id, t.manager.id]));
    expect((await call("/v1/admin/scim/tokens", { token: await t.manager.token(), body: { name: "mine" } })).status).toBe(403);
    expect((await call(`/v1/admin/scim/tokens/${rotated.id}`, { method: "DELETE", token: await t.manager.token() })).status).toBe(403);
    await scim(await idp.send("/Users", { token: rotated.token }), 200);
  });

  it("another tenant's admin cannot list, rotate or revoke this tenant's tokens or mappings", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const idpB = await scimClient(b);
    const adminA = await a.admin.token();
    await expectProblem(await call(`/v1/admin/scim/tokens/${idpB.tokenId}/rotate`, { token: adminA, body: { overlapMinutes: 1 } }), 404, "not_found");
    await expectProblem(await call(`/v1/admin/scim/tokens/${idpB.tokenId}`, { method: "DELETE", token: adminA }), 404, "not_found");
    const mappings = await json<{ items: { id: string }[] }>(await call("/v1/admin/scim/group-mappings", { token: await b.admin.token() }));
    const id = mappings.items[0]!.id;
    await expectProblem(await call(`/v1/admin/scim/group-mappings/${id}`, { method: "DELETE", token: adminA }), 404, "not_found");
    await scim(await idpB.send("/Users"), 200);
  });

  it("an admin cannot map an IdP group to owner", async () => {
    const t = await seedTenant();
    const res = await call("/v1/admin/scim/group-mappings", { method: "PUT", token: await t.admin.token(), body: { groupName: "Owners", role: "owner" } });
    expect(res.status).toBe(400);
  });
});
