// /v1/* requires a verified Supabase access token. Every failure is the same 401 on the wire;
// the reason goes to the log.
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../../shared/errors.ts";
import { InvalidToken, verifyAccessToken } from "../../lib/auth/verify.ts";
import type { AppConfig } from "../../types.ts";

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;
const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="ai-office"' };

export function authenticate(): MiddlewareHandler<AppConfig> {
  return async function authenticate(c, next) {
    const match = BEARER.exec(c.req.header("authorization") ?? "");
    if (!match) throw new ApiError("unauthorized", undefined, { headers: CHALLENGE });
    try {
      const claims = await verifyAccessToken(match[1]!, c.var.env);
      c.set("auth", {
        userId: claims.sub,
        email: claims.email ?? null,
        tenantId: claims.tenant_id ?? null,
        claims,
      });
    } catch (e) {
      if (!(e instanceof InvalidToken)) throw e;
      c.var.log("info", "token refused", { reason: e.message });
      throw new ApiError("unauthorized", undefined, { headers: CHALLENGE });
    }
    await next();
  };
}
