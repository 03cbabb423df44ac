// CORS for the web frontends: only origins on the CORS_ORIGINS allow-list get CORS headers.
import type { Context, MiddlewareHandler } from "hono";
import { cors as honoCors } from "hono/cors";
import type { AppConfig } from "../../types.ts";

const EXPOSE = ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed"].join(",");

// Built once: hono's cors() spreads its options, joins the header lists and creates its closures
// on every call; the allow-list is read per request (from the parsed env) by `origin`.
// Access-Control-Expose-Headers is not left to it: hono would set it on `c.res` before the
// handler runs, which creates a placeholder Response that the real one is then copied over
// (twice). Set through c.header(), it is among the headers the response is created with.
const handler = honoCors({
  origin: (origin, c: Context<AppConfig>) => (c.var.env.CORS_ORIGINS.includes(origin) ? origin : null),
  allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
  maxAge: 600,
  credentials: false,
});

export function cors(): MiddlewareHandler<AppConfig> {
  return async function cors(c, next) {
    c.header("Access-Control-Expose-Headers", EXPOSE);
    return handler(c, next);
  };
}
