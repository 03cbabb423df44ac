// Microsoft Entra ID's provisioning requests, as Microsoft's "Tutorial: Develop and plan
// provisioning for a SCIM endpoint" / "Provisioning request examples" show them: create with
// the enterprise extension, query by userName and by externalId, PATCH with capitalised ops,
// filtered email paths, enterprise attribute paths and "active": "False" as a string; groups
// read with excludedAttributes=members, members added and removed with "Add"/"Remove" and a
// value list, displayName replaced; delete. After each step the member as the /v1 API sees them.
import { describe, expect, it } from "vitest";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { accessToken, ENTERPRISE, memberView, PATCH_OP, personOf, scim, scimClient } from "./support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const q = (filter: string) => encodeURIComponent(filter);

describe("Microsoft Entra ID provisioning sequence", () => {
  it("create, query, PATCH attributes, groups, disable with a string boolean, enable, delete", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t, "Entra ID");
    const suffix = crypto.randomUUID();
    const userName = `Test_User_${suffix}@testuser.com`;
    const externalId = crypto.randomUUID();

    // Entra first looks for the user by userName (and finds none).
    const none = await scim<{ totalResults: number; Resources: unknown[] }>(await idp.send(`/Users?filter=${q(`userName eq "${userName}"`)}`), 200);
    expect(none.totalResults).toBe(0);

    const created = await idp.send("/Users", {
      body: {
        schemas: [USER, ENTERPRISE], externalId, userName, active: true,
        emails: [{ primary: true, type: "work", value: `Test_User_${suffix}@testuser.com` }],
        meta: { resourceType: "User" },
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
        roles: [],
        [ENTERPRISE]: { department: "Support", employeeNumber: "42" },
      },
    });
    const user = await scim<{ id: string; schemas: string[]; displayName: string }>(created, 201);
    expect(user.schemas).toEqual([USER, ENTERPRISE]);
    expect(user.displayName).toBe("givenName familyName");
    const person = await personOf(user.id);
    expect(person.email).toBe(userName.toLowerCase());
    expect(await memberView(t, person.userId)).toMatchObject({ role: "employee", department: expect.stringMatching(/^support$/i), active: true });

    // Query by externalId, by the work email's filtered path and by the enterprise department.
    for (const filter of [`externalId eq "${externalId}"`, `emails[type eq "work"].value eq "${userName}"`, `userName eq "${userName}" and active eq true`,
      `${ENTERPRISE}:department eq "support"`]) {
      const r = await scim<{ totalResults: number; Resources: { id: string }[] }>(await idp.send(`/Users?filter=${q(filter)}`), 200);
      expect(r.Resources.map((x) => x.id), filter).toEqual([user.id]);
    }

    // Update user [multi-valued properties] and [enterprise attribute], capitalised ops.
    const newEmail = `updated_${suffix}@testuser.com`;
    const patched = await scim<{ emails: { value: string; type: string }[]; name: { familyName: string } } & Record<string, unknown>>(await idp.send(`/Users/${user.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Replace", path: 'emails[type eq "work"].value', value: newEmail },
          { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
          { op: "Add", path: `${ENTERPRISE}:department`, value: "Front desk" },
        ],
      },
    }), 200);
    expect(patched.emails[0]).toMatchObject({ type: "work", value: newEmail });
    expect(patched.name.familyName).toBe("updatedFamilyName");
    expect((patched[ENTERPRISE] as { department: string }).department).toBe("Front desk");
    expect(await memberView(t, person.userId)).toMatchObject({ department: "Front desk", email: newEmail });

    // Groups: create, look up by displayName without members, add the user, remove them.
    const group = await scim<{ id: string }>(await idp.send("/Groups", {
      body: { schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"], externalId: crypto.randomUUID(), displayName: "Admins", meta: { resourceType: "Group" } },
    }), 201);
    const byName = await scim<{ Resources: Record<string, unknown>[] }>(await idp.send(`/Groups?excludedAttributes=members&filter=${q('displayName eq "admins"')}`), 200);
    expect(byName.Resources).toHaveLength(1);
    expect(byName.Resources[0]).not.toHaveProperty("members");
    expect(await scim(await idp.send(`/Groups/${group.id}?excludedAttributes=members`), 200)).not.toHaveProperty("members");
    const add = await idp.send(`/Groups/${group.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: user.id }] }] } });
    expect(add.status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "admin", department: "Front desk" });
    const managers = await scim<{ id: string }>(await idp.send("/Groups", { body: { schemas: [GROUP], displayName: "Managers" } }), 201);
    await idp.send(`/Groups/${managers.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ value: user.id }] }] } });
    expect((await memberView(t, person.userId)).role).toBe("admin"); // the highest role wins
    const remove = await idp.send(`/Groups/${group.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: user.id }] }] } });
    expect(remove.status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ role: "manager", department: "Front desk" });
    const renamed = await idp.send(`/Groups/${managers.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "displayName", value: "Employees" }] } });
    expect(renamed.status).toBe(204);
    expect((await memberView(t, person.userId)).role).toBe("employee");

    // Disable: "active" as the string "False". The person's token is refused on the next request.
    const token = await accessToken(t, { userId: person.userId, email: newEmail });
    expect((await call("/v1/me", { token })).status).toBe(200);
    const disabled = await scim<{ active: boolean }>(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] } }), 200);
    expect(disabled.active).toBe(false);
    expect(await memberView(t, person.userId)).toMatchObject({ active: false });
    const refused = await call("/v1/tasks", { token });
    expect(refused.status).toBe(403);
    expect((await refused.json() as { code: string }).code).toBe("membership_inactive");
    const filtered = await scim<{ Resources: { active: boolean }[] }>(await idp.send(`/Users?filter=${q(`userName eq "${userName}"`)}`), 200);
    expect(filtered.Resources[0]!.active).toBe(false);

    // Enable again ("True"), then the hard delete Entra sends 30 days after a soft delete.
    await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] } }), 200);
    expect(await memberView(t, person.userId)).toMatchObject({ active: true, role: "employee" });
    expect((await call("/v1/tasks", { token: await accessToken(t, { userId: person.userId, email: newEmail }) })).status).toBe(200);
    expect((await idp.send(`/Users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await memberView(t, person.userId)).toMatchObject({ active: false });
    expect((await idp.send(`/Groups/${managers.id}`, { method: "DELETE" })).status).toBe(204);
  });
});
