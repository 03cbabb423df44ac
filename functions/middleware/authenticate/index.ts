// /v1/* requires a verified Supabase access token. A refusal is a 401 whose code names the check
// that failed (token_expired, token_wrong_audience, …) with a WWW-Authenticate challenge as RFC
// 6750 words it; neither ever echoes the token. The log keeps jose's own reason.
import type { MiddlewareHandler } from "hono";
import { ApiError, type TokenErrorCode } from "../../../shared/errors.ts";
import { InvalidToken, KeysUnavailable, verifyAccessToken } from "../../lib/auth/verify.ts";
import type { AppConfig } from "../../types.ts";

const SCHEME = /^(\S+)(?:[ \t]+(.*))?$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/**
 * A 401 for a refused token. Without any token the challenge carries no error (RFC 6750 §3.1);
 * otherwise error="invalid_token" and the detail as error_description (a quoted-string: no `"`
 * or `\`, printable ASCII only).
 */
export function tokenRefused(code: TokenErrorCode, detail: string): ApiError {
  const description = detail.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, "");
  const challenge =
    code === "token_missing" ? 'Bearer realm="ai-office"' : `Bearer realm="ai-office", error="invalid_token", error_description="${description}"`;
  return new ApiError(code, detail, { headers: { "WWW-Authenticate": challenge } });
}

/** The bearer token of the Authorization header, or the 401 that says what is wrong with it. */
function bearerToken(header: string | undefined): string {
  if (!header) throw tokenRefused("token_missing", "send the access token in the Authorization header: Bearer <token>");
  const [, scheme, credentials = ""] = SCHEME.exec(header.trim()) ?? [];
  if (scheme?.toLowerCase() !== "bearer") throw tokenRefused("token_missing", "the Authorization header must use the Bearer scheme");
  if (!credentials) throw tokenRefused("token_missing", "the Bearer credentials are empty");
  if (!JWT_SHAPE.test(credentials)) throw tokenRefused("token_malformed", "the token is not a JWT (three base64url parts separated by dots)");
  return credentials;
}

export function authenticate(): MiddlewareHandler<AppConfig> {
  return async function authenticate(c, next) {
    const token = bearerToken(c.req.header("authorization"));
    try {
      const claims = await verifyAccessToken(token, c.var.env);
      c.set("auth", {
        userId: claims.sub,
        email: claims.email ?? null,
        tenantId: claims.tenant_id ?? null,
        claims,
      });
    } catch (e) {
      // Not the token's fault: 503 (onError logs the cause), so a client retries rather than signs out.
      if (e instanceof KeysUnavailable) throw new ApiError("unavailable", "the token's signing keys could not be fetched; try again", { cause: e });
      if (!(e instanceof InvalidToken)) throw e;
      c.var.log("info", "token refused", { code: e.code, reason: e.message });
      throw tokenRefused(e.code, e.detail);
    }
    await next();
  };
}
