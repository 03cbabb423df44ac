// SCIM tokens resolve the tenant and nothing else does: rotation overlap, expiry and revoke take
// effect on the next request; a token of tenant A never reaches tenant B's directory; every
// request is audited with the token's name, never its value.
import { describe, expect, inject, it } from "vitest";
import { workerClient } from "../../../shared/db/client.ts";
import { closeGracefully } from "../../../shared/db/close.ts";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { expectScimError, PATCH_OP, scim, scimClient } from "./support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const newUser = (name: string) => ({ schemas: [USER], userName: `${name}-${crypto.randomUUID().slice(0, 6)}@example.test` });

describe("SCIM tokens", () => {
  it("rotation: old and new token both work during the overlap; the old one stops at its end", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t, "Okta");
    const admin = await t.admin.token();
    const rotated = await json<{ token: string; id: string }>(await call(`/v1/admin/scim/tokens/${idp.tokenId}/rotate`, { token: admin, body: { overlapMinutes: 30 } }));
    await scim(await idp.send("/Users"), 200);
    await scim(await idp.send("/Users", { token: rotated.token }), 200);
    // The overlap ends (as if 30 minutes passed): the old token is refused, the new one works.
    await withAdmin((c) => c.query("update public.scim_tokens set expires_at = now() - interval '1 second', created_at = created_at - interval '1 day' where id = $1", [idp.tokenId]));
    await expectScimError(await idp.send("/Users"), 401);
    await scim(await idp.send("/Users", { token: rotated.token }), 200);
    // Rotation with no overlap: the previous token stops at once.
    const again = await json<{ token: string }>(await call(`/v1/admin/scim/tokens/${rotated.id}/rotate`, { token: admin, body: { overlapMinutes: 0 } }));
    await expectScimError(await idp.send("/Users", { token: rotated.token }), 401);
    await scim(await idp.send("/Users", { token: again.token }), 200);
  });

  it("expiry and revoke apply to the very next request; last use is recorded", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    await scim(await idp.send("/ServiceProviderConfig"), 200);
    const list = await json<{ items: { id: string; lastUsedAt: string | null }[] }>(await call("/v1/admin/scim/tokens", { token: await t.owner.token() }));
    expect(list.items.find((i) => i.id === idp.tokenId)?.lastUsedAt).toEqual(expect.any(String));
    expect((await call(`/v1/admin/scim/tokens/${idp.tokenId}`, { method: "DELETE", token: await t.admin.token() })).status).toBe(200);
    await expectScimError(await idp.send("/Users"), 401);
    await expectScimError(await idp.send("/Users", { body: newUser("after-revoke") }), 401);

    const other = await scimClient(t, "expiring");
    await scim(await other.send("/Users"), 200);
    await withAdmin((c) => c.query("update public.scim_tokens set created_at = now() - interval '2 days', expires_at = now() - interval '1 second' where id = $1", [other.tokenId]));
    const expired = await other.send("/Users");
    await expectScimError(expired, 401);
    expect(expired.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("refuses a missing, malformed or unknown token with a SCIM 401, before looking at the body", async () => {
    await expectScimError(await call("/scim/v2/Users"), 401);
    await expectScimError(await call("/scim/v2/Users", { token: "not-a-scim-token" }), 401);
    await expectScimError(await call("/scim/v2/Users", { token: `scim_${"x".repeat(43)}`, body: { nonsense: true } }), 401);
    // A valid body with a token nobody issued: refused before Supabase Auth is asked for anyone.
    const email = `intruder-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await expectScimError(await call("/scim/v2/Users", { token: `scim_${"y".repeat(43)}`, body: { userName: email } }), 401);
    const { rows } = await withAdmin((c) => c.query("select 1 from auth.users where email = $1", [email]));
    expect(rows).toEqual([]);
  });

  it("audits every request with the token's name, never its value", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t, "Entra production");
    await scim(await idp.send("/Users"), 200);
    await scim(await idp.send("/Users", { body: newUser("audited") }), 201);
    const { rows } = await withAdmin((c) =>
      c.query<{ after: Record<string, string>; request_id: string | null }>(
        "select after, request_id from public.audit_log where tenant_id = $1 and action = 'scim.request' order by id", [t.id]),
    );
    expect(rows.map((r) => [r.after.token, r.after.method, r.after.path])).toEqual([["Entra production", "GET", "/scim/v2/Users"], ["Entra production", "POST", "/scim/v2/Users"]]);
    expect(rows.every((r) => r.request_id)).toBe(true);
    const { rows: all } = await withAdmin((c) => c.query("select after::text || coalesce(before::text, '') as text from public.audit_log where tenant_id = $1", [t.id]));
    expect(all.some((r) => (r.text as string).includes(idp.token))).toBe(false);
  });
});

describe("SCIM tenant isolation", () => {
  it("a token of tenant A never reaches tenant B's directory", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const [idpA, idpB] = await Promise.all([scimClient(a), scimClient(b)]);
    const userB = await scim<{ id: string; userName: string }>(await idpB.send("/Users", { body: newUser("victim") }), 201);
    const groupB = await scim<{ id: string }>(await idpB.send("/Groups", { body: { displayName: "Admins", members: [{ value: userB.id }] } }), 201);
    const groupA = await scim<{ id: string }>(await idpA.send("/Groups", { body: { displayName: "Admins" } }), 201);

    const listed = await scim<{ totalResults: number }>(await idpA.send(`/Users?filter=${encodeURIComponent(`userName eq "${userB.userName}"`)}`), 200);
    expect(listed.totalResults).toBe(0);
    expect((await scim<{ totalResults: number }>(await idpA.send("/Users"), 200)).totalResults).toBe(0);
    await expectScimError(await idpA.send(`/Users/${userB.id}`), 404);
    await expectScimError(await idpA.send(`/Users/${userB.id}`, { method: "PUT", body: { ...newUser("x"), active: false } }), 404);
    await expectScimError(await idpA.send(`/Users/${userB.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] } }), 404);
    await expectScimError(await idpA.send(`/Users/${userB.id}`, { method: "DELETE" }), 404);
    await expectScimError(await idpA.send(`/Groups/${groupB.id}`), 404);
    await expectScimError(await idpA.send(`/Groups/${groupB.id}`, { method: "DELETE" }), 404);
    await expectScimError(await idpA.send(`/Groups/${groupB.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "remove", path: "members" }] } }), 404);
    // B's user cannot be pulled into A's group (it does not exist for A).
    await expectScimError(await idpA.send(`/Groups/${groupA.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: userB.id }] }] } }), 404);
    // B is untouched.
    const still = await scim<{ active: boolean }>(await idpB.send(`/Users/${userB.id}`), 200);
    expect(still.active).toBe(true);
    expect((await scim<{ members: unknown[] }>(await idpB.send(`/Groups/${groupB.id}`), 200)).members).toHaveLength(1);
    // A's owner does not see B's tokens either.
    const tokens = await json<{ items: { id: string }[] }>(await call("/v1/admin/scim/tokens", { token: await a.owner.token() }));
    expect(tokens.items.map((i) => i.id)).toEqual([idpA.tokenId]);
  });

  it("RLS holds underneath: as office_scim (through the API's own login) with A's token hash, SQL sees and writes only A's rows", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const [idpA, idpB] = await Promise.all([scimClient(a), scimClient(b)]);
    await scim(await idpB.send("/Users", { body: newUser("b") }), 201);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(idpA.token));
    const hash = [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("");
    const c = workerClient({ connectionString: inject("databaseUrl") });
    c.on("error", () => undefined);
    await c.connect();
    try {
      await c.query("begin");
      try {
        await c.query("select set_config('role', 'office_scim', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify({ scim_token_sha256: hash })]);
        const seen = await c.query("select tenant_id from public.scim_users");
        expect(seen.rows).toEqual([]);
        expect((await c.query("select private.scim_tenant() as t")).rows[0].t).toBe(a.id);
        await expect(c.query("insert into public.scim_groups (tenant_id, display_name) values ($1, 'x')", [b.id])).rejects.toMatchObject({ code: "42501" });
      } finally {
        await c.query("rollback");
      }
      await c.query("begin");
      try {
        await c.query("select set_config('role', 'office_scim', true)");
        await c.query("savepoint s");
        await expect(c.query("select * from public.memberships")).rejects.toMatchObject({ code: "42501" });
        await c.query("rollback to savepoint s");
        await expect(c.query("select * from public.scim_tokens")).rejects.toMatchObject({ code: "42501" });
      } finally {
        await c.query("rollback");
      }
    } finally {
      await closeGracefully(c);
    }
  });
});
