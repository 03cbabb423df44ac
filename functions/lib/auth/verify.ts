// Access-token verification with jose. Issuer, audience and algorithms are pinned; sub, exp and
// iat are required and tokens older than 15 minutes are refused. Asymmetric tokens (Supabase's
// ES256/RS256) verify against the JWKS, fetched once per isolate and cached at module scope. The
// HS256 path exists only where a dev secret is configured (never in production), so an HS256
// token "signed" with a public key can never verify.
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import { isDeployed, type AppEnv } from "../../../shared/env.ts";

const ASYMMETRIC = ["ES256", "RS256"];
const MAX_TOKEN_AGE = "15m";
const CLOCK_TOLERANCE_S = 30;

type KeySet = ReturnType<typeof createRemoteJWKSet> | ReturnType<typeof createLocalJWKSet>;
let keySetCache: { source: string; keys: KeySet } | undefined;
let secretCache: { source: string; key: CryptoKey } | undefined;

function keySet(env: AppEnv): KeySet | undefined {
  const source = env.AUTH_JWKS ?? env.AUTH_JWKS_URL;
  if (!source) return undefined;
  if (keySetCache?.source !== source) {
    const keys = env.AUTH_JWKS
      ? createLocalJWKSet(JSON.parse(env.AUTH_JWKS))
      : createRemoteJWKSet(new URL(env.AUTH_JWKS_URL!), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
    keySetCache = { source, keys };
  }
  return keySetCache.keys;
}

// Imported once per isolate (given raw bytes, jose imports an HMAC key on every verify). The key,
// not a pending promise, is what is shared between requests.
async function devSecret(env: AppEnv): Promise<CryptoKey | undefined> {
  if (!env.AUTH_DEV_SECRET || isDeployed(env.ENVIRONMENT)) return undefined;
  if (secretCache?.source !== env.AUTH_DEV_SECRET) {
    const raw = new TextEncoder().encode(env.AUTH_DEV_SECRET);
    const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    secretCache = { source: env.AUTH_DEV_SECRET, key };
  }
  return secretCache.key;
}

export const AccessTokenClaims = z.looseObject({
  sub: z.uuid(),
  email: z.string().optional(),
  tenant_id: z.uuid().optional(),
});

export class InvalidToken extends Error {
  override name = "InvalidToken";
}

/** Verifies a bearer token; throws InvalidToken (with the reason, for logs only) on any failure. */
export async function verifyAccessToken(token: string, env: AppEnv): Promise<JWTPayload & z.infer<typeof AccessTokenClaims>> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new InvalidToken("malformed token");
  }
  const options = {
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    requiredClaims: ["sub", "exp", "iat"],
    maxTokenAge: MAX_TOKEN_AGE,
    clockTolerance: CLOCK_TOLERANCE_S,
  };
  let payload: JWTPayload;
  try {
    if (alg === "HS256") {
      const secret = await devSecret(env);
      if (!secret) throw new InvalidToken("HS256 is not accepted here");
      ({ payload } = await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] }));
    } else if (alg && ASYMMETRIC.includes(alg)) {
      const keys = keySet(env);
      if (!keys) throw new InvalidToken("no JWKS configured");
      ({ payload } = await jwtVerify(token, keys, { ...options, algorithms: ASYMMETRIC }));
    } else {
      throw new InvalidToken(`algorithm ${alg ?? "none"} is not accepted`);
    }
  } catch (e) {
    if (e instanceof InvalidToken) throw e;
    throw new InvalidToken((e as Error).message);
  }
  const claims = AccessTokenClaims.safeParse(payload);
  if (!claims.success) throw new InvalidToken("claims do not match the expected shape");
  return { ...payload, ...claims.data };
}
