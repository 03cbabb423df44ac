// Gives the request its database handle: one transaction, as `authenticated` with the token's
// claims (see shared/db/tx.ts). The connection starts opening here, before the limits' Redis
// round trip, so the two overlap; it is closed after the response, off its critical path.
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
    handle.warm();
    try {
      await next();
    } finally {
      await handle.finish();
    }
  };
}
