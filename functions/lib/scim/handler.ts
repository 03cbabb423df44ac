// Wraps every SCIM handler: its errors become SCIM error bodies here (never a problem+json), and
// a request refused for its input before it reached the database first proves its token (one
// round trip through private.scim_enter()), so a caller without a valid token learns nothing
// about what a valid request looks like: 401 before 400.
import type { Context } from "hono";
import type { AppConfig } from "../../types.ts";
import { scimTx } from "./db.ts";
import { scimErrorResponse, toScimError } from "./errors.ts";

export const scimHandler = (fn: (c: Context<AppConfig>) => Promise<Response>) => async (c: Context<AppConfig>): Promise<Response> => {
  try {
    return await fn(c);
  } catch (e) {
    let err = toScimError(e);
    if (err.status === 400 && !c.var.db.used) {
      err = await scimTx(c, async () => undefined).then(() => err, (auth: unknown) => toScimError(auth));
    }
    if (err.status >= 500) c.var.log("error", "SCIM request failed", { status: err.status, error: String(e) });
    return scimErrorResponse(err, c.var.requestId);
  }
};
