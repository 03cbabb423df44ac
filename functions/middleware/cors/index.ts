// CORS for the web frontends: only origins on the CORS_ORIGINS allow-list get CORS headers.
import type { MiddlewareHandler } from "hono";
import { cors as honoCors } from "hono/cors";
import type { AppConfig } from "../../types.ts";

export function cors(): MiddlewareHandler<AppConfig> {
  return async function cors(c, next) {
    const allowed = c.var.env.CORS_ORIGINS;
    return honoCors({
      origin: (origin) => (allowed.includes(origin) ? origin : null),
      allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
      exposeHeaders: ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed"],
      maxAge: 600,
      credentials: false,
    })(c, next);
  };
}
