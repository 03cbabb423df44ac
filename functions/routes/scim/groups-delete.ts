// DELETE /scim/v2/Groups/{id}: its members fall back to their other groups' mappings.
import { scimTx } from "../../lib/scim/db.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { deleteGroup } from "./groups-queries.ts";
import { groupId, notFound } from "./groups-request.ts";

export const register = (app: App) =>
  app.delete("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const { result } = await scimTx(c, (q) => deleteGroup(q, id));
    if (!result) throw notFound(id);
    return c.body(null, 204);
  }));
