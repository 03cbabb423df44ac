// /scim/v2/*: the SCIM bearer token is the only credential. Its shape is checked here, its
// SHA-256 goes into the request's claims, and Postgres decides the rest (private.scim_enter():
// unknown, expired or revoked → 401; the tenant comes from the token, inside RLS). The token's
// named limit (600 a minute) is read in the same tick as the connection opens, so a refused
// request does no database work: 429 with Retry-After, which IdPs honour. Every error of a SCIM
// request, from here or from a handler, is rendered as a SCIM error body (application/scim+json).
import type { MiddlewareHandler } from "hono";
import { PROBLEM_CONTENT_TYPE } from "../../../shared/errors.ts";
import { NAMED_LIMITS, namedLimiter } from "../../lib/limits.ts";
import { redisFor } from "../../lib/redis.ts";
import { scimDb } from "../../lib/scim/db.ts";
import { ScimError, scimErrorResponse, toScimError } from "../../lib/scim/errors.ts";
import { isScimTokenShape, sha256Hex } from "../../lib/scim/token.ts";
import type { AppConfig } from "../../types.ts";

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export function scimAuth(): MiddlewareHandler<AppConfig> {
  return async function scimAuth(c, next) {
    let db: ReturnType<typeof scimDb> | undefined;
    try {
      const m = /^Bearer +(\S+)$/i.exec(c.req.header("authorization") ?? "");
      if (!m) throw new ScimError(401, undefined, "a SCIM bearer token is required (Authorization: Bearer …)");
      if (!isScimTokenShape(m[1]!)) throw new ScimError(401, undefined, "this is not a SCIM token of this API");
      const hash = await sha256Hex(m[1]!);
      db = scimDb(c, hash);
      c.set("db", db);
      db.warm();
      const limit = NAMED_LIMITS.scim;
      const decision = await namedLimiter(redisFor(c.var.env), limit).limit(hash).catch((e: unknown) => {
        c.var.log("error", "rate limiter unavailable; refusing a SCIM request", { error: String(e) });
        return undefined;
      });
      if (!decision || decision.reason === "timeout") throw new ScimError(503, undefined, "rate limiting is unavailable; retry shortly", { "Retry-After": "5" });
      c.executionCtx.waitUntil(decision.pending);
      if (!decision.success) {
        throw new ScimError(429, undefined, `at most ${limit.tokens} requests per ${limit.window} for one SCIM token`, {
          "Retry-After": seconds(decision.reset - Date.now()),
        });
      }
      await next();
    } catch (e) {
      c.res = scimErrorResponse(toScimError(e), c.var.requestId);
      return;
    } finally {
      await db?.finish();
    }
    // A handler's error was rendered by onError as problem+json: SCIM clients get SCIM errors.
    if (c.error) {
      const err = toScimError(c.error);
      if (err.status >= 500) c.var.log("error", "SCIM request failed", { error: String(c.error) });
      c.res = scimErrorResponse(err, c.var.requestId);
    } else if (c.res.headers.get("content-type") === PROBLEM_CONTENT_TYPE) {
      // No such path (404) or method (405, with Allow): the same answer, as a SCIM error.
      const problem = (await c.res.json()) as { status: number; detail?: string; title: string };
      const allow = c.res.headers.get("allow");
      c.res = undefined;
      c.res = scimErrorResponse(new ScimError(problem.status, undefined, problem.detail ?? problem.title, allow ? { Allow: allow } : {}), c.var.requestId);
    }
  };
}
