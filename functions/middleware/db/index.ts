// Gives the request its database handle: one transaction, as `authenticated` with the token's
// claims (see shared/db/tx.ts). The connection opens only if a handler uses it and is closed
// after the response, off the response's critical path.
import type { MiddlewareHandler } from "hono";
import { RequestDb } from "../../../shared/db/tx.ts";
import type { AppConfig } from "../../types.ts";

export function db(): MiddlewareHandler<AppConfig> {
  return async function db(c, next) {
    const handle = new RequestDb(
      c.env.HYPERDRIVE.connectionString,
      { claims: c.var.auth.claims, requestId: c.var.requestId },
      (p) => c.executionCtx.waitUntil(p),
      c.var.log,
    );
    c.set("db", handle);
    try {
      await next();
    } finally {
      await handle.finish();
    }
  };
}
