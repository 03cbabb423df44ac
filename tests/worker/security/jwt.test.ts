// Token attacks: each must be 401, whatever the token claims.
import { base64url, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { TEST_AUDIENCE, TEST_ISSUER } from "../../support/config.ts";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { baseClaims, es256Token, hs256Token } from "../../support/tokens.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";

let t: SeededTenant;
beforeAll(async () => {
  t = await seedTenant();
});

const subject = () => ({ id: t.employee.id, email: t.employee.email, tenantId: t.id });
const unsigned = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

describe("access tokens", () => {
  it("accepts a valid HS256 dev token and a valid ES256 token (controls)", async () => {
    expect((await call("/v1/members", { token: await hs256Token(subject()) })).status).toBe(200);
    expect((await call("/v1/members", { token: await es256Token(subject()) })).status).toBe(200);
  });

  it("alg: none → 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = unsigned({ alg: "none", typ: "JWT" }, { ...baseClaims(subject()), iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 600 });
    await expectProblem(await call("/v1/members", { token }), 401, "unauthorized");
  });

  it("HS256 signed with the public key (algorithm confusion) → 401", async () => {
    const publicJwk = inject("publicJwk");
    for (const secret of [JSON.stringify(publicJwk), JSON.stringify({ keys: [publicJwk] })]) {
      const token = await new SignJWT(baseClaims(subject()))
        .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid as string })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(new TextEncoder().encode(secret));
      await expectProblem(await call("/v1/members", { token }), 401, "unauthorized");
    }
  });

  it("unknown kid → 401", async () => {
    await expectProblem(await call("/v1/members", { token: await es256Token(subject(), { kid: "rotated-away" }) }), 401, "unauthorized");
  });

  it("expired → 401", async () => {
    const token = await hs256Token(subject(), { issuedAt: Math.floor(Date.now() / 1000) - 600, expiresIn: Math.floor(Date.now() / 1000) - 120 });
    await expectProblem(await call("/v1/members", { token }), 401, "unauthorized");
  });

  it("issued more than 15 minutes ago (even if exp is far) → 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await hs256Token(subject(), { issuedAt: now - 20 * 60, expiresIn: now + 3600 });
    await expectProblem(await call("/v1/members", { token }), 401, "unauthorized");
  });

  it("wrong audience → 401", async () => {
    await expectProblem(await call("/v1/members", { token: await hs256Token(subject(), { audience: "anon" }) }), 401, "unauthorized");
  });

  it("wrong issuer → 401", async () => {
    await expectProblem(
      await call("/v1/members", { token: await hs256Token(subject(), { issuer: "https://evil.example/auth/v1" }) }),
      401,
      "unauthorized",
    );
  });

  it("missing tenant_id on a tenant route → 401 (but a user route still works)", async () => {
    const token = await hs256Token({ id: t.employee.id, email: t.employee.email });
    await expectProblem(await call("/v1/members", { token }), 401, "unauthorized");
    expect((await call("/v1/me", { token })).status).toBe(200);
  });

  it("sub that is not a uuid, or missing → 401", async () => {
    await expectProblem(await call("/v1/me", { token: await hs256Token({ id: "admin" }) }), 401, "unauthorized");
    const noSub = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(inject("devSecret")));
    await expectProblem(await call("/v1/me", { token: noSub }), 401, "unauthorized");
  });

  it("garbage, an empty bearer, or another scheme → 401", async () => {
    for (const authorization of ["Bearer not.a.jwt", "Bearer ", "Basic dXNlcjpwYXNz", "bearer"]) {
      await expectProblem(await call("/v1/me", { headers: { authorization } }), 401, "unauthorized");
    }
  });
});
