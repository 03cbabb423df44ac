// Fixes for the 2026-12-01 review findings (SCIM and memberships), each proven by the attack
// that worked before: an admin's SCIM token adopting and deactivating an owner; a SCIM token
// outliving its creator's authority; two owners deactivating each other at the same moment; and
// a userName filter that lower-cased in JavaScript what Postgres had keyed.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call } from "../../support/http.ts";
import { addMembership, createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { expectScimError, PATCH_OP, scim, scimClient } from "../scim/support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const short = () => crypto.randomUUID().slice(0, 8);

const membership = async (tenantId: string, userId: string) =>
  (await withAdmin((c) => c.query<{ role: string; active: boolean }>("select role, active from public.memberships where tenant_id = $1 and user_id = $2", [tenantId, userId]))).rows[0];

describe("review fixes 2026-12-01", () => {
  it("an admin's SCIM token cannot adopt an owner, nor deactivate or deprovision one", async () => {
    const t = await seedTenant();
    const second = await createUser(`owner2-${short()}@${t.slug}.test`);
    await addMembership(t.id, second.id, "owner");
    const idp = await scimClient(t); // made by the admin
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER], userName: second.email, active: false } }), 403);
    expect(await membership(t.id, second.id)).toMatchObject({ role: "owner", active: true });
    // Someone the IdP provisioned and the business later made an owner is out of its reach too.
    const person = await scim<{ id: string }>(await idp.send("/Users", { body: { schemas: [USER], userName: `later-${short()}@${t.slug}.test` } }), 201);
    const userId = (await withAdmin((c) => c.query<{ user_id: string }>("select user_id from public.scim_users where id = $1", [person.id]))).rows[0]!.user_id;
    await withAdmin((c) => c.query("update public.memberships set role = 'owner' where tenant_id = $1 and user_id = $2", [t.id, userId]));
    const off = { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] };
    await expectScimError(await idp.send(`/Users/${person.id}`, { method: "PATCH", body: off }), 403);
    await expectScimError(await idp.send(`/Users/${person.id}`, { method: "DELETE" }), 403);
    expect(await membership(t.id, userId)).toMatchObject({ role: "owner", active: true });
  });

  it("a SCIM token works only while its creator is an active owner or admin", async () => {
    const deactivated = await seedTenant();
    const idp1 = await scimClient(deactivated); // made by the admin
    await withAdmin((c) => c.query("update public.memberships set active = false where tenant_id = $1 and user_id = $2", [deactivated.id, deactivated.admin.id]));
    await expectScimError(await idp1.send("/Users", { body: { schemas: [USER], userName: deactivated.admin.email } }), 401);
    expect(await membership(deactivated.id, deactivated.admin.id)).toMatchObject({ role: "admin", active: false });

    const demoted = await seedTenant();
    const idp2 = await scimClient(demoted);
    await withAdmin((c) => c.query("update public.memberships set role = 'employee' where tenant_id = $1 and user_id = $2", [demoted.id, demoted.admin.id]));
    await expectScimError(await idp2.send("/Users"), 401);
    await expectScimError(await idp2.send("/Groups", { body: { displayName: "Admins", members: [] } }), 401);
    expect(await membership(demoted.id, demoted.admin.id)).toMatchObject({ role: "employee" });
    // Restored, the same token works again (it was never revoked).
    await withAdmin((c) => c.query("update public.memberships set role = 'admin' where tenant_id = $1 and user_id = $2", [demoted.id, demoted.admin.id]));
    await scim(await idp2.send("/Users"), 200);
  });

  it("two owners deactivating each other at the same moment leave the business an active owner", async () => {
    for (let round = 0; round < 4; round++) {
      const t = await seedTenant();
      const second = await createUser(`owner2-${short()}@${t.slug}.test`);
      await addMembership(t.id, second.id, "owner");
      const secondToken = await hs256Token({ id: second.id, email: second.email, tenantId: t.id });
      const statuses = (
        await Promise.all([
          call(`/v1/members/${second.id}`, { method: "PATCH", token: await t.owner.token(), body: { active: false } }),
          call(`/v1/members/${t.owner.id}`, { method: "PATCH", token: secondToken, body: { active: false } }),
        ])
      ).map((r) => r.status);
      const { rows } = await withAdmin((c) => c.query<{ n: number }>("select count(*)::int as n from public.memberships where tenant_id = $1 and role = 'owner' and active", [t.id]));
      expect(rows[0]!.n, `round ${round}: ${statuses.join(", ")}`).toBeGreaterThanOrEqual(1);
    }
  });

  it("a NUL anywhere in a SCIM body is a 400 invalidValue, not a 503 the IdP retries for ever", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER], userName: `nul-${short()}@example.test`, displayName: "a\u0000b" } }), 400, "invalidValue");
    await expectScimError(await idp.send("/Groups", { body: { displayName: "Team\u0000X", members: [] } }), 400, "invalidValue");
  });

  it("a userName filter finds the user under the very userName they were created with, beyond ASCII", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    for (const name of [`ÄLICE-${short()}@example.test`, `ǅ-${short()}@example.test`]) {
      await scim(await idp.send("/Users", { body: { schemas: [USER], userName: name } }), 201);
      const found = await scim<{ totalResults: number }>(await idp.send(`/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`), 200);
      expect(found.totalResults, name).toBe(1);
    }
  });
});
