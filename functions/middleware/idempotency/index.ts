// Idempotency-Key on POST. The key is claimed by the first statement of the request's
// transaction and the response is stored in the same transaction before commit, so a retried
// request replays the first response and never repeats the effect; the same key with another
// body is 409. Keys are scoped per tenant on tenant routes and per person on user routes.
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../../shared/errors.ts";
import type { AppConfig } from "../../types.ts";

const KEY = /^[\x21-\x7e]{1,255}$/;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function idempotency(scope: "tenant" | "user"): MiddlewareHandler<AppConfig> {
  return async function idempotency(c, next) {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (!KEY.test(key)) throw new ApiError("bad_request", "Idempotency-Key must be 1-255 printable ASCII characters");
    const body = await c.req.text();
    const hash = await sha256(`${c.req.method} ${c.req.path}\n${body}`);
    c.var.db.configure({ idempotency: { scope, key, hash } });
    await next();
    if (c.res.status >= 200 && c.res.status < 300 && c.var.db.used) {
      // Stored as the response's own JSON text: parsing it only to serialise it again is waste.
      await c.var.db.commitWithResponse(c.res.status, await c.res.clone().text());
    }
  };
}
