// Gives every request an id: a sane incoming x-request-id is kept (so a caller can correlate),
// anything else is replaced. The id is echoed on the response and is in every log line, with the
// tenant and user once authentication has named them.
import type { MiddlewareHandler } from "hono";
import { createLogger, isLogLevel } from "../../lib/log.ts";
import { setResponseHeaders } from "../../lib/response-headers.ts";
import type { AppConfig } from "../../types.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestId(): MiddlewareHandler<AppConfig> {
  return async function requestId(c, next) {
    const incoming = c.req.header("x-request-id");
    const id = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    c.set(
      "log",
      createLogger(() => ({
        requestId: id,
        tenantId: c.var.auth?.tenantId ?? undefined,
        userId: c.var.auth?.userId ?? undefined,
      }), isLogLevel(c.env.LOG_LEVEL) ? c.env.LOG_LEVEL : "info"),
    );
    c.header("x-request-id", id);
    await next();
    // Normally already on the response (set above, before it existed); setting it again through
    // c.header() would copy the whole Response for nothing.
    if (c.res.headers.get("x-request-id") !== id) setResponseHeaders(c, { "x-request-id": id });
  };
}
