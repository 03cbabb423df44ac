// Review finding (2026-12-01, critical): scim-patch walks PATCH paths — and the keys of a
// path-less value — into plain objects, so `__proto__.x`, `constructor.prototype.x` or
// `toString.x` wrote onto prototypes that every tenant's requests in the isolate share. Each such
// operation is now a SCIM 400 invalidPath, and nothing is written.
import { describe, expect, it } from "vitest";
import { seedTenant } from "../../support/seed.ts";
import { expectScimError, PATCH_OP, scim, scimClient } from "../scim/support.ts";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

describe("SCIM PATCH and the isolate's prototypes", () => {
  it("refuses every path or value key that names a prototype member, and pollutes nothing", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const user = await scim<{ id: string }>(await idp.send("/Users", { body: { schemas: [USER], userName: `proto-${crypto.randomUUID().slice(0, 8)}@example.test` } }), 201);
    const attempts = [
      [{ op: "add", path: "__proto__.polluted", value: "yes" }],
      [{ op: "add", path: "constructor.prototype.polluted2", value: "yes" }],
      [{ op: "replace", path: "__proto__", value: { polluted3: "yes" } }],
      [{ op: "add", value: { "__proto__.polluted4": "yes" } }],
      [{ op: "add", path: "toString.polluted5", value: "yes" }],
      [{ op: "add", value: { "toString.polluted6": "yes" } }],
      [{ op: "add", value: { name: { constructor: { prototype: { polluted7: "yes" } } } } }],
    ];
    for (const Operations of attempts) {
      const res = await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations } });
      await expectScimError(res, 400, "invalidPath");
    }
    const probe = {} as Record<string, unknown>;
    const fn = probe.toString as unknown as Record<string, unknown>;
    const polluted = [
      ...["polluted", "polluted2", "polluted3", "polluted4", "polluted7"].filter((k) => probe[k] !== undefined),
      ...["polluted5", "polluted6"].filter((k) => fn[k] !== undefined),
    ];
    expect(polluted).toEqual([]);
    // Ordinary PATCHes still work.
    await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { displayName: "Still Fine", active: true } }] } }), 200);
  });
});
