// One line per request once the response is known: method, path (never the query, which may
// carry personal data), status and duration.
import type { MiddlewareHandler } from "hono";
import type { AppConfig } from "../../types.ts";

export function accessLog(): MiddlewareHandler<AppConfig> {
  return async function accessLog(c, next) {
    const started = Date.now();
    await next();
    c.var.log(c.res.status >= 500 ? "error" : "info", "request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
    });
  };
}
