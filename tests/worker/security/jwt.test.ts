// Token attacks: each must be 401, whatever the token claims. The code names the check that
// failed, and neither the body nor the challenge ever echoes the token or its claims' values.
import { base64url, CompactSign, generateKeyPair, SignJWT } from "jose";
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
const now = () => Math.floor(Date.now() / 1000);
const devSecret = () => new TextEncoder().encode(inject("devSecret"));

/**
 * 401 with `code`, an RFC 6750 challenge (error="invalid_token" once there is a token), and no
 * part of the token (nor any of `secrets`, e.g. a claim's value) in the body or the challenge.
 */
async function refused(res: Response, code: string, token?: string, secrets: string[] = []) {
  const challenge = res.headers.get("www-authenticate") ?? "";
  const body = await expectProblem(res, 401, code);
  expect(challenge).toMatch(/^Bearer realm="ai-office"/);
  if (code === "token_missing") expect(challenge).not.toContain("error=");
  else expect(challenge).toContain('error="invalid_token", error_description="');
  expect(typeof body.detail).toBe("string");
  const leaks = [...(token?.split(".").filter((part) => part.length >= 8) ?? []), ...(token ? [token] : []), ...secrets];
  for (const leak of leaks) {
    expect(JSON.stringify(body)).not.toContain(leak);
    expect(challenge).not.toContain(leak);
  }
  return body;
}

describe("access tokens", () => {
  it("accepts a valid HS256 dev token and a valid ES256 token (controls)", async () => {
    expect((await call("/v1/members", { token: await hs256Token(subject()) })).status).toBe(200);
    expect((await call("/v1/members", { token: await es256Token(subject()) })).status).toBe(200);
  });

  it("alg: none → 401 token_unsupported_algorithm", async () => {
    const token = unsigned({ alg: "none", typ: "JWT" }, { ...baseClaims(subject()), iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now(), exp: now() + 600 });
    const body = await refused(await call("/v1/members", { token }), "token_unsupported_algorithm", token);
    expect(body.detail).toContain("ES256");
  });

  it("HS256 signed with the public key (algorithm confusion) → 401 token_bad_signature", async () => {
    const publicJwk = inject("publicJwk");
    for (const secret of [JSON.stringify(publicJwk), JSON.stringify({ keys: [publicJwk] })]) {
      const token = await new SignJWT(baseClaims(subject()))
        .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid as string })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(new TextEncoder().encode(secret));
      await refused(await call("/v1/members", { token }), "token_bad_signature", token);
    }
  });

  it("ES256 signed by another key under the pinned kid → 401 token_bad_signature", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT(baseClaims(subject()))
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: inject("publicJwk").kid as string })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    await refused(await call("/v1/members", { token }), "token_bad_signature", token);
  });

  it("unknown kid → 401 token_unknown_key", async () => {
    const token = await es256Token(subject(), { kid: "rotated-away" });
    await refused(await call("/v1/members", { token }), "token_unknown_key", token, ["rotated-away"]);
  });

  it("expired → 401 token_expired", async () => {
    const token = await hs256Token(subject(), { issuedAt: now() - 600, expiresIn: now() - 120 });
    await refused(await call("/v1/members", { token }), "token_expired", token);
  });

  it("issued more than 15 minutes ago (even if exp is far) → 401 token_too_old", async () => {
    const token = await hs256Token(subject(), { issuedAt: now() - 20 * 60, expiresIn: now() + 3600 });
    await refused(await call("/v1/members", { token }), "token_too_old", token);
  });

  it("not valid yet (nbf, or iat in the future) → 401 token_not_yet_valid", async () => {
    const nbf = await hs256Token(subject(), { claims: { nbf: now() + 600 } });
    await refused(await call("/v1/members", { token: nbf }), "token_not_yet_valid", nbf);
    const future = await hs256Token(subject(), { issuedAt: now() + 600, expiresIn: now() + 1200 });
    await refused(await call("/v1/members", { token: future }), "token_not_yet_valid", future);
  });

  it("wrong audience → 401 token_wrong_audience", async () => {
    const token = await hs256Token(subject(), { audience: "anon" });
    await refused(await call("/v1/members", { token }), "token_wrong_audience", token, ["anon"]);
  });

  it("wrong issuer → 401 token_wrong_issuer", async () => {
    const token = await hs256Token(subject(), { issuer: "https://evil.example/auth/v1" });
    await refused(await call("/v1/members", { token }), "token_wrong_issuer", token, ["evil.example"]);
  });

  it("missing tenant_id on a tenant route → 401 token_no_tenant (but a user route still works)", async () => {
    const token = await hs256Token({ id: t.employee.id, email: t.employee.email });
    await refused(await call("/v1/members", { token }), "token_no_tenant", token, [t.employee.id]);
    expect((await call("/v1/me", { token })).status).toBe(200);
  });

  it("a sub that is not a uuid → 401 token_invalid_claim; a missing sub or exp → 401 token_missing_claim", async () => {
    const admin = await hs256Token({ id: "admin-of-everything" });
    const body = await refused(await call("/v1/me", { token: admin }), "token_invalid_claim", admin, ["admin-of-everything"]);
    expect(body.detail).toContain("sub claim");
    const noSub = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(devSecret());
    expect((await refused(await call("/v1/me", { token: noSub }), "token_missing_claim", noSub)).detail).toContain("sub claim");
    const noExp = await new SignJWT(baseClaims(subject())).setProtectedHeader({ alg: "HS256" }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setIssuedAt().sign(devSecret());
    expect((await refused(await call("/v1/me", { token: noExp }), "token_missing_claim", noExp)).detail).toContain("exp claim");
  });

  it("a JWT whose header or payload is not JSON → 401 token_malformed", async () => {
    const badHeader = `${base64url.encode("not json at all")}.${base64url.encode("{}")}.c2lnbmF0dXJl`;
    await refused(await call("/v1/me", { token: badHeader }), "token_malformed", badHeader);
    const notAnObject = await new CompactSign(new TextEncoder().encode("[1,2,3]")).setProtectedHeader({ alg: "HS256" }).sign(devSecret());
    await refused(await call("/v1/me", { token: notAnObject }), "token_malformed", notAnObject);
  });

  it("no Authorization header, another scheme or an empty bearer → 401 token_missing; garbage → 401 token_malformed", async () => {
    await refused(await call("/v1/me"), "token_missing");
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer ", "bearer"]) {
      await refused(await call("/v1/me", { headers: { authorization } }), "token_missing", undefined, ["dXNlcjpwYXNz"]);
    }
    for (const authorization of ["Bearer not.a.jwt", "Bearer sometoken-without-dots", "Bearer a.b.c d"]) {
      await refused(await call("/v1/me", { headers: { authorization } }), "token_malformed", undefined, ["sometoken-without-dots"]);
    }
  });
});
