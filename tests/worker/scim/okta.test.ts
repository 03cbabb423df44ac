// Okta's SCIM 2.0 provisioning, request by request as Okta's SCIM reference documents them
// (developer.okta.com, "Okta and SCIM Version 2.0"): check by filter, create, read, replace
// (PUT with the whole profile), deactivate and reactivate with a pathless PATCH, push groups
// (create, add a member, remove with members[value eq …], rename), delete; after each step the
// member's role, department and active flag as the /v1 API shows them.
import { describe, expect, it } from "vitest";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { accessToken, memberView, PATCH_OP, personOf, scim, scimClient } from "./support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

describe("Okta provisioning sequence", () => {
  it("create, check by filter, update, group push, deactivate, reactivate, delete", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t, "Okta");
    const userName = `test.user-${crypto.randomUUID().slice(0, 8)}@okta.local`;

    // 1. Does the user exist? (Okta always asks first, with paging parameters.)
    const none = await scim(await idp.send(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`), 200);
    expect(none).toEqual({ schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });

    // 2. Create the user (Okta sends a password and an empty groups list: neither is kept).
    const created = await idp.send("/Users", {
      body: {
        schemas: [USER], userName, name: { givenName: "Test", familyName: "User" },
        emails: [{ primary: true, value: userName, type: "work" }], displayName: "Test User", locale: "en-US",
        externalId: "00ujl29u0le5T6Aj10h7", groups: [], password: "1mz050nq", active: true,
      },
    });
    const user = await scim<Record<string, unknown> & { id: string; meta: Record<string, string> }>(created, 201);
    expect(created.headers.get("location")).toBe(user.meta.location);
    expect(user).toMatchObject({ schemas: [USER], userName, externalId: "00ujl29u0le5T6Aj10h7", active: true, displayName: "Test User", locale: "en-US" });
    expect(user).not.toHaveProperty("password");
    expect(user.meta).toMatchObject({ resourceType: "User", location: expect.stringMatching(new RegExp(`/scim/v2/Users/${user.id}$`)) });
    const person = await personOf(user.id);
    expect(person.email).toBe(userName);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: null, active: true, email: userName });

    // 3. The filter now finds it, case-insensitively (userName is caseExact: false).
    const found = await scim<{ totalResults: number; Resources: { id: string }[] }>(
      await idp.send(`/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}&startIndex=1&count=100`), 200);
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]!.id).toBe(user.id);
    expect((await scim(await idp.send(`/Users/${user.id}`), 200)).userName).toBe(userName);

    // 4. Profile update: Okta PUTs the whole user.
    const put = await scim(await idp.send(`/Users/${user.id}`, {
      method: "PUT",
      body: {
        schemas: [USER], id: user.id, userName, name: { givenName: "Another", familyName: "User" },
        emails: [{ primary: true, value: userName, type: "work" }], displayName: "Another User", active: true,
        externalId: "00ujl29u0le5T6Aj10h7", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Front desk" },
      },
    }), 200);
    expect(put).toMatchObject({ displayName: "Another User", name: { givenName: "Another" } });
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: "Front desk", displayName: "Another User" });

    // 5. Group push: create the group, add the user, and the mapping makes them a manager.
    const group = await scim<{ id: string }>(await idp.send("/Groups", { body: { schemas: [GROUP], displayName: "Managers", members: [] } }), 201);
    const add = await idp.send(`/Groups/${group.id}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: user.id, display: userName }] }] },
    });
    expect(add.status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "manager", department: "Front desk", active: true });
    // (The business's existing "sales" department is matched case-insensitively, not duplicated.)
    const sales = await scim<{ id: string }>(await idp.send("/Groups", { body: { schemas: [GROUP], displayName: "Sales-Team", members: [{ value: user.id, display: userName }] } }), 201);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "manager", department: expect.stringMatching(/^sales$/i) });
    const members = await scim<{ members: { value: string }[] }>(await idp.send(`/Groups/${sales.id}`), 200);
    expect(members.members.map((m) => m.value)).toEqual([user.id]);

    // 6. Remove from the group (Okta's filtered path), and rename a group (value object, no path).
    const remove = await idp.send(`/Groups/${group.id}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${user.id}"]` }] },
    });
    expect(remove.status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: expect.stringMatching(/^sales$/i) });
    const rename = await idp.send(`/Groups/${sales.id}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { id: sales.id, displayName: "Admins" } }] },
    });
    expect(rename.status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "admin" });

    // 7. Deactivate (pathless replace): the person's access token is refused on the next request.
    const token = await accessToken(t, person);
    expect((await call("/v1/me", { token })).status).toBe(200);
    const off = await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] } }), 200);
    expect(off.active).toBe(false);
    expect(await memberView(t, person.userId)).toMatchObject({ active: false });
    expect((await call("/v1/tasks", { token })).status).toBe(403);

    // 8. Reactivate: access comes back.
    const on = await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] } }), 200);
    expect(on.active).toBe(true);
    expect(await memberView(t, person.userId)).toMatchObject({ active: true, role: "admin" });
    expect((await call("/v1/tasks", { token: await accessToken(t, person) })).status).toBe(200);

    // 9. Delete the group, then the user: the membership ends, the person stays.
    expect((await idp.send(`/Groups/${sales.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: "Front desk" });
    expect((await idp.send(`/Users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ active: false });
    await scim(await idp.send(`/Users/${user.id}`), 404);
  });
});
