// Access-token verification with jose. Issuer, audience and algorithms are pinned; sub, exp and
// iat are required and tokens older than 15 minutes are refused. Asymmetric tokens (Supabase's
// ES256/RS256) verify against the JWKS, fetched once per isolate and cached at module scope. The
// HS256 path exists only where a dev secret is configured (never in production), so an HS256
// token "signed" with a public key can never verify. A refusal names the check that failed (one
// error code each); what it says never includes any part of the token or its claims' values.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as jose,
  jwtVerify,
  type JWTHeaderParameters,
  type FlattenedJWSInput,
  type JWTPayload,
} from "jose";
import { z } from "zod";
import { isDeployed, type AppEnv } from "../../../shared/env.ts";
import type { TokenErrorCode } from "../../../shared/errors.ts";

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

/** A refused token: `code` and `detail` are for the response, the message is for the log only. */
export class InvalidToken extends Error {
  override name = "InvalidToken";
  constructor(
    readonly code: TokenErrorCode,
    readonly detail: string,
    reason: string = detail,
  ) {
    super(reason);
  }
}

/** The signing keys could not be had (JWKS fetch failed or timed out): not the token's fault. */
export class KeysUnavailable extends Error {
  override name = "KeysUnavailable";
}

// Claims whose names a refusal may mention (names only, never values).
const NAMED_CLAIMS = new Set(["sub", "exp", "iat", "nbf", "iss", "aud", "email", "tenant_id"]);
const theClaim = (claim: unknown) => (typeof claim === "string" && NAMED_CLAIMS.has(claim) ? `the ${claim} claim` : "a claim");

/** jose's verdict as the check that failed. Anything that is not about the token is rethrown. */
function refusal(e: unknown): InvalidToken {
  if (e instanceof InvalidToken) return e;
  if (!(e instanceof jose.JOSEError)) throw e;
  const reason = e.message;
  if (e instanceof jose.JWTExpired) {
    return e.claim === "iat"
      ? new InvalidToken("token_too_old", `the token was issued more than ${MAX_TOKEN_AGE} ago; refresh it`, reason)
      : new InvalidToken("token_expired", "the token has expired; refresh it", reason);
  }
  if (e instanceof jose.JWTClaimValidationFailed) {
    const { claim } = e;
    if (e.reason === "missing") return new InvalidToken("token_missing_claim", `the token lacks ${theClaim(claim)}`, reason);
    if (e.reason === "invalid") return new InvalidToken("token_invalid_claim", `${theClaim(claim)} of the token is malformed`, reason);
    if (claim === "iss") return new InvalidToken("token_wrong_issuer", "the token was not issued by this API's identity provider", reason);
    if (claim === "aud") return new InvalidToken("token_wrong_audience", "the token's audience is not this API's", reason);
    if (claim === "nbf") return new InvalidToken("token_not_yet_valid", "the token is not valid yet (nbf is in the future)", reason);
    if (claim === "iat") return new InvalidToken("token_not_yet_valid", "the token was issued in the future (iat)", reason);
    return new InvalidToken("token_invalid_claim", `${theClaim(claim)} of the token is not accepted`, reason);
  }
  if (e instanceof jose.JWSSignatureVerificationFailed) return new InvalidToken("token_bad_signature", "the token's signature does not verify", reason);
  if (e instanceof jose.JWKSNoMatchingKey || e instanceof jose.JWKSMultipleMatchingKeys) {
    return new InvalidToken("token_unknown_key", "no signing key of this API matches the token's key id (kid)", reason);
  }
  if (e instanceof jose.JOSEAlgNotAllowed || e instanceof jose.JOSENotSupported) {
    return new InvalidToken("token_unsupported_algorithm", "the token's signing algorithm is not accepted", reason);
  }
  if (e instanceof jose.JWSInvalid || e instanceof jose.JWTInvalid) return new InvalidToken("token_malformed", "the token is not a well-formed signed JWT", reason);
  throw e;
}

/** The key set, with a failure to fetch it told apart from a token it has no key for. */
function keyResolver(keys: KeySet) {
  return async (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
    try {
      return await keys(header, token);
    } catch (e) {
      if (e instanceof jose.JWKSNoMatchingKey || e instanceof jose.JWKSMultipleMatchingKeys || e instanceof jose.JOSENotSupported) throw e;
      throw new KeysUnavailable(`the signing keys could not be had: ${(e as Error).message}`, { cause: e });
    }
  };
}

/**
 * Verifies a bearer token; throws InvalidToken (the check that failed) when the token is refused,
 * KeysUnavailable when the JWKS cannot be fetched.
 */
export async function verifyAccessToken(token: string, env: AppEnv): Promise<JWTPayload & z.infer<typeof AccessTokenClaims>> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch (e) {
    throw new InvalidToken("token_malformed", "the token's header is not valid base64url JSON", (e as Error).message);
  }
  const options = {
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    requiredClaims: ["sub", "exp", "iat"],
    maxTokenAge: MAX_TOKEN_AGE,
    clockTolerance: CLOCK_TOLERANCE_S,
  };
  const secret = alg === "HS256" ? await devSecret(env) : undefined;
  const keys = alg && ASYMMETRIC.includes(alg) ? keySet(env) : undefined;
  let payload: JWTPayload;
  try {
    if (secret) {
      ({ payload } = await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] }));
    } else if (keys) {
      ({ payload } = await jwtVerify(token, keyResolver(keys), { ...options, algorithms: ASYMMETRIC }));
    } else {
      const accepted = [...(keySet(env) ? ASYMMETRIC : []), ...((await devSecret(env)) ? ["HS256"] : [])];
      throw new InvalidToken(
        "token_unsupported_algorithm",
        `the token's signing algorithm is not accepted (this API accepts ${accepted.join(", ").replace(/, (?=[^,]+$)/, " or ")})`,
        `algorithm ${alg ?? "none"} is not accepted`,
      );
    }
  } catch (e) {
    throw refusal(e);
  }
  const claims = AccessTokenClaims.safeParse(payload);
  if (!claims.success) {
    const claim = claims.error.issues[0]?.path[0];
    throw new InvalidToken("token_invalid_claim", `${theClaim(claim)} of the token is malformed`, `claims do not match the expected shape (${String(claim)})`);
  }
  return { ...payload, ...claims.data };
}
