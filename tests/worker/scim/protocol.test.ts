// RFC 7644 behaviour of /scim/v2 beyond the IdP sequences: discovery, list envelopes and paging,
// filters (in SQL), attribute selection, SCIM errors, uniqueness and retried creates.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { seedTenant } from "../../support/seed.ts";
import { expectScimError, PATCH_OP, personOf, scim, scimClient, type ScimClient } from "./support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const q = (filter: string) => encodeURIComponent(filter);

async function makeUser(idp: ScimClient, userName: string, extra: Record<string, unknown> = {}) {
  return scim<{ id: string }>(await idp.send("/Users", { body: { schemas: [USER], userName, emails: [{ value: userName, type: "work", primary: true }], ...extra } }), 201);
}

describe("SCIM discovery", () => {
  it("describes the service provider, its resource types and schemas", async () => {
    const idp = await scimClient(await seedTenant());
    const spc = await scim<Record<string, { supported: boolean }>>(await idp.send("/ServiceProviderConfig"), 200);
    expect(spc).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false }, etag: { supported: false } });
    const types = await scim<{ totalResults: number; Resources: { id: string; endpoint: string }[] }>(await idp.send("/ResourceTypes"), 200);
    expect(types.Resources.map((r) => [r.id, r.endpoint])).toEqual([["User", "/Users"], ["Group", "/Groups"]]);
    const schemas = await scim<{ Resources: { id: string }[] }>(await idp.send("/Schemas"), 200);
    expect(schemas.Resources.map((s) => s.id)).toEqual([USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"]);
    expect((await scim<{ id: string }>(await idp.send(`/Schemas/${USER}`), 200)).id).toBe(USER);
    await expectScimError(await idp.send("/ResourceTypes/Nope"), 404);
    await expectScimError(await idp.send("/Bulk", { body: {} }), 404);
    const wrongMethod = await idp.send("/ServiceProviderConfig", { method: "DELETE" });
    await expectScimError(wrongMethod, 405);
    expect(wrongMethod.headers.get("allow")).toContain("GET");
  });
});

describe("SCIM Users: list, filter, paging, attributes", () => {
  it("pages with totalResults, itemsPerPage and startIndex, and filters in SQL", async () => {
    const idp = await scimClient(await seedTenant());
    const names = ["alice", "bob", "carol", "dave", "erin"].map((n) => `${n}.${crypto.randomUUID().slice(0, 6)}@example.test`);
    const ids: string[] = [];
    for (const [i, n] of names.entries()) ids.push((await makeUser(idp, n, { externalId: `ext-${i}`, title: i % 2 ? "Nurse" : undefined, active: i !== 4 })).id);
    const page = await scim<{ totalResults: number; itemsPerPage: number; startIndex: number; Resources: { id: string }[] }>(await idp.send("/Users?startIndex=2&count=2"), 200);
    expect(page).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(page.Resources.map((r) => r.id)).toEqual(ids.slice(1, 3));
    const empty = await scim<{ totalResults: number; itemsPerPage: number; Resources: unknown[] }>(await idp.send("/Users?count=0"), 200);
    expect(empty).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });

    const cases: [string, string[]][] = [
      [`userName eq "${names[1]!.toUpperCase()}"`, [ids[1]!]],
      [`userName ne "${names[1]}"`, [ids[0]!, ids[2]!, ids[3]!, ids[4]!]],
      [`userName sw "ALICE."`, [ids[0]!]],
      [`userName co "rol."`, [ids[2]!]],
      [`userName ew "${names[3]!.slice(-19).toUpperCase()}"`, [ids[3]!]],
      [`title pr`, [ids[1]!, ids[3]!]],
      [`not (title pr)`, [ids[0]!, ids[2]!, ids[4]!]],
      [`externalId eq "ext-0" or externalId eq "ext-4"`, [ids[0]!, ids[4]!]],
      [`externalId eq "EXT-0"`, []], // externalId is caseExact
      [`active eq false`, [ids[4]!]],
      [`emails[type eq "work" and value co "erin"]`, [ids[4]!]],
      [`meta.lastModified gt "2000-01-01T00:00:00Z"`, ids],
      [`meta.lastModified gt "2999-01-01T00:00:00Z"`, []],
      [`userName eq "x' or 1=1 --"`, []],
      [`userName co "%"`, []], // LIKE wildcards are matched literally
    ];
    for (const [filter, want] of cases) {
      const r = await scim<{ totalResults: number; Resources: { id: string }[] }>(await idp.send(`/Users?filter=${q(filter)}`), 200);
      expect(r.Resources.map((x) => x.id), filter).toEqual(want);
      expect(r.totalResults, filter).toBe(want.length);
    }
    for (const bad of ["userName eq", "nickName eq \"x\"", "active gt true", "meta.lastModified gt \"yesterday\"", "userName eq 42"]) {
      await expectScimError(await idp.send(`/Users?filter=${q(bad)}`), 400, "invalidFilter");
    }
    await expectScimError(await idp.send("/Users?startIndex=abc"), 400, "invalidValue");
  });

  it("returns only the attributes asked for, or all but the excluded ones", async () => {
    const idp = await scimClient(await seedTenant());
    const u = await makeUser(idp, `attr-${crypto.randomUUID().slice(0, 6)}@example.test`, { name: { givenName: "A", familyName: "B" }, title: "Boss" });
    const only = await scim(await idp.send(`/Users/${u.id}?attributes=userName,name.givenName`), 200);
    expect(Object.keys(only).sort()).toEqual(["id", "name", "schemas", "userName"]);
    expect(only.name).toEqual({ givenName: "A" });
    const without = await scim(await idp.send(`/Users/${u.id}?excludedAttributes=emails,title`), 200);
    expect(without).not.toHaveProperty("emails");
    expect(without).not.toHaveProperty("title");
    expect(without).toHaveProperty("meta");
  });
});

describe("SCIM Users: PATCH", () => {
  it("sets columns in one statement (displayName, externalId, active) and anything else through scim-patch", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const u = await makeUser(idp, `p-${crypto.randomUUID().slice(0, 6)}@example.test`, { externalId: "e-1", name: { givenName: "Pat", familyName: "Lee" } });
    const renamed = await scim(await idp.send(`/Users/${u.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "displayName", value: "Pat Lee-Smith" }, { op: "replace", value: { externalId: "e-2", active: "False" } }] } }), 200);
    expect(renamed).toMatchObject({ displayName: "Pat Lee-Smith", externalId: "e-2", active: false, name: { givenName: "Pat" } });
    const person = await personOf(u.id);
    const { rows } = await withAdmin((c) => c.query("select display_name, active from public.memberships where tenant_id = $1 and user_id = $2", [t.id, person.userId]));
    expect(rows).toEqual([{ display_name: "Pat Lee-Smith", active: false }]);
    const mixed = await scim(await idp.send(`/Users/${u.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: true }, { op: "add", path: "title", value: "Dentist" }, { op: "remove", path: "name.familyName" }] } }), 200);
    expect(mixed).toMatchObject({ active: true, title: "Dentist", name: { givenName: "Pat" } });
    expect((mixed.name as Record<string, unknown>).familyName).toBeUndefined();
    await expectScimError(await idp.send(`/Users/${crypto.randomUUID()}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] } }), 404);
    // A PUT without `active` leaves it as it is (here: deactivated stays deactivated).
    await scim(await idp.send(`/Users/${u.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] } }), 200);
    const put = await scim(await idp.send(`/Users/${u.id}`, { method: "PUT", body: { schemas: [USER], userName: `renamed-${crypto.randomUUID().slice(0, 6)}@example.test` } }), 200);
    expect(put.active).toBe(false);
  });
});

describe("SCIM Users: errors, uniqueness and retries", () => {
  it("answers 404, 409 and 400 as SCIM errors", async () => {
    const idp = await scimClient(await seedTenant());
    const name = `dup-${crypto.randomUUID().slice(0, 6)}@example.test`;
    const first = await makeUser(idp, name, { externalId: "okta-1" });
    // A retried create (lost response) answers as the first did; a different one is a conflict.
    const retry = await scim<{ id: string }>(await idp.send("/Users", { body: { schemas: [USER], userName: name, externalId: "okta-1" } }), 201);
    expect(retry.id).toBe(first.id);
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER], userName: name.toUpperCase(), externalId: "okta-2" } }), 409, "uniqueness");
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER], userName: `other-${name}`, externalId: "okta-1" } }), 409, "uniqueness");
    const second = await makeUser(idp, `second-${name}`);
    const taken = await expectScimError(await idp.send(`/Users/${second.id}`, { method: "PUT", body: { schemas: [USER], userName: name.toUpperCase() } }), 409, "uniqueness");
    expect(taken.detail).toContain("userName");
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER] } }), 400, "invalidValue");
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER], userName: "no-email-here" } }), 400, "invalidValue");
    await expectScimError(await idp.send("/Users", { body: { schemas: [USER], userName: name, active: "maybe" } }), 400, "invalidValue");
    const notJson = await idp.send("/Users", { method: "POST", body: undefined });
    await expectScimError(notJson, 400, "invalidSyntax");
    await expectScimError(await idp.send(`/Users/${crypto.randomUUID()}`), 404);
    await expectScimError(await idp.send("/Users/not-an-id"), 404);
    await expectScimError(await idp.send(`/Users/${crypto.randomUUID()}`, { method: "DELETE" }), 404);
    await expectScimError(await idp.send(`/Users/${first.id}`, { method: "PATCH", body: { Operations: [] } }), 400, "invalidSyntax");
    await expectScimError(await idp.send(`/Users/${first.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "jump", path: "title" }] } }), 400, "invalidSyntax");
    await expectScimError(await idp.send(`/Users/${first.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "id", value: "x" }] } }), 400, "mutability");
  });

  it("groups: a taken displayName is 409; a member who does not exist (yet) is 404 and nothing is applied", async () => {
    const idp = await scimClient(await seedTenant());
    const u = await makeUser(idp, `g-${crypto.randomUUID().slice(0, 6)}@example.test`);
    const g = await scim<{ id: string }>(await idp.send("/Groups", { body: { displayName: "Night shift" } }), 201);
    await expectScimError(await idp.send("/Groups", { body: { displayName: "NIGHT SHIFT" } }), 409, "uniqueness");
    const out = await idp.send(`/Groups/${g.id}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: u.id }, { value: crypto.randomUUID() }] }] },
    });
    await expectScimError(out, 404);
    expect((await scim<{ members: unknown[] }>(await idp.send(`/Groups/${g.id}`), 200)).members).toEqual([]);
    await expectScimError(await idp.send(`/Groups/${g.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: "bob" }] }] } }), 400, "invalidValue");
    await expectScimError(await idp.send(`/Groups/${g.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "owner", value: "x" }] } }), 400, "invalidPath");
    await expectScimError(await idp.send(`/Groups/${crypto.randomUUID()}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "x" }] } }), 404);
    const put = await scim<{ members: { value: string }[]; displayName: string }>(await idp.send(`/Groups/${g.id}`, { method: "PUT", body: { displayName: "Day shift", members: [{ value: u.id }] } }), 200);
    expect(put).toMatchObject({ displayName: "Day shift", members: [{ value: u.id }] });
    const byMember = await scim<{ totalResults: number; Resources: { id: string; members?: unknown[] }[] }>(
      await idp.send(`/Groups?filter=${q(`members[value eq "${u.id}"]`)}&excludedAttributes=members`), 200);
    expect(byMember.Resources.map((r) => r.id)).toEqual([g.id]);
    expect(byMember.Resources[0]).not.toHaveProperty("members");
    expect((await scim<{ totalResults: number }>(await idp.send(`/Groups?filter=${q(`members[value eq "${crypto.randomUUID()}"]`)}`), 200)).totalResults).toBe(0);
  });

  it("the same person provisioned by two businesses is one Auth user with two memberships", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const [idpA, idpB] = await Promise.all([scimClient(a), scimClient(b)]);
    const email = `shared-${crypto.randomUUID().slice(0, 6)}@example.test`;
    const ua = await makeUser(idpA, email);
    const ub = await makeUser(idpB, email);
    const [pa, pb] = await Promise.all([personOf(ua.id), personOf(ub.id)]);
    expect(pa.userId).toBe(pb.userId);
    const { rows } = await withAdmin((c) => c.query("select tenant_id from public.memberships where user_id = $1 order by 1", [pa.userId]));
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([a.id, b.id].sort());
  });
});
