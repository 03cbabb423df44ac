// DELETE /scim/v2/Users/{id}: deprovisioned. The membership ends at once; the person and their
// business data stay.
import { scimTx } from "../../lib/scim/db.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { deleteUser } from "./users-queries.ts";
import { notFound, recordActivity, userId } from "./users-request.ts";

export const register = (app: App) =>
  app.delete("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const { caller, result } = await scimTx(c, (q) => deleteUser(q, id));
    if (!result) throw notFound(id);
    await recordActivity(c, caller.tenantId, result.userId, true, false);
    return c.body(null, 204);
  }));
