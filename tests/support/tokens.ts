// Mints access tokens shaped like Supabase Auth's: HS256 with the run's dev secret, or ES256 with
// the key whose public half the Worker pins. Attack tests build their bad tokens from these.
import { importJWK, SignJWT, type JWTPayload } from "jose";
import { inject } from "vitest";
import { TEST_AUDIENCE, TEST_ISSUER } from "./config.ts";

export interface TokenSubject {
  id: string;
  email?: string | null;
  tenantId?: string | null;
}

export function baseClaims(subject: TokenSubject, extra: JWTPayload = {}): JWTPayload {
  return {
    sub: subject.id,
    email: subject.email ?? undefined,
    role: "authenticated",
    aal: "aal1",
    session_id: crypto.randomUUID(),
    is_anonymous: false,
    ...(subject.tenantId ? { tenant_id: subject.tenantId } : {}),
    ...extra,
  };
}

export async function hs256Token(
  subject: TokenSubject,
  options: { claims?: JWTPayload; secret?: string; issuer?: string; audience?: string; expiresIn?: string | number; issuedAt?: number } = {},
): Promise<string> {
  const secret = new TextEncoder().encode(options.secret ?? inject("devSecret"));
  return new SignJWT(baseClaims(subject, options.claims))
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresIn ?? "10m")
    .sign(secret);
}

export async function es256Token(subject: TokenSubject, options: { kid?: string; claims?: JWTPayload } = {}): Promise<string> {
  const jwk = inject("signingJwk");
  const key = await importJWK(jwk, "ES256");
  return new SignJWT(baseClaims(subject, options.claims))
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: options.kid ?? (jwk.kid as string) })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(key);
}
