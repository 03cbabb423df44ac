// The SCIM token's own limit (600 a minute): over it, 429 with Retry-After (which Okta and
// Entra honour) as a SCIM error, refused before any database work. And a deprovisioned person's
// still-valid access tokens stop counting against the business's limits at once.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { testRedis } from "../../support/redis.ts";
import { seedTenant } from "../../support/seed.ts";
import { expectScimError, PATCH_OP, personOf, scim, scimClient } from "./support.ts";

const sha256 = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");

describe("SCIM limits", () => {
  it("refuses a token over its limit with 429 and Retry-After, without touching the database", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const window = Math.floor(Date.now() / 60_000);
    const key = `rl:scim:${await sha256(idp.token)}`;
    const redis = testRedis();
    // The window already spent (as 600 requests in this minute and the last would have).
    await Promise.all([redis.set(`${key}:${window}`, 600, { ex: 180 }), redis.set(`${key}:${window - 1}`, 600, { ex: 180 })]);
    const res = await idp.send("/Users");
    const body = await expectScimError(res, 429);
    expect(body.detail).toContain("600");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const { rows } = await withAdmin((c) => c.query("select 1 from public.audit_log where tenant_id = $1 and action = 'scim.request'", [t.id]));
    expect(rows).toEqual([]);
    // Another token of the same business has its own window.
    const other = await scimClient(t, "second");
    await scim(await other.send("/Users"), 200);
  });

  it("deactivation records the member's revocation, reactivation clears it", async () => {
    const t = await seedTenant();
    const idp = await scimClient(t);
    const user = await scim<{ id: string }>(await idp.send("/Users", { body: { userName: `r-${crypto.randomUUID().slice(0, 6)}@example.test` } }), 201);
    const person = await personOf(user.id);
    const redis = testRedis();
    const key = `revoked:${t.id}:${person.userId}`;
    expect(await redis.get(key)).toBeNull();
    await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] } }), 200);
    expect(Number(await redis.get(key))).toBeGreaterThan(0);
    await scim(await idp.send(`/Users/${user.id}`, { method: "PATCH", body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] } }), 200);
    expect(await redis.get(key)).toBeNull();
    expect((await idp.send(`/Users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(Number(await redis.get(key))).toBeGreaterThan(0);
  });
});
