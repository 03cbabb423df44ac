// PUT /scim/v2/Users/{id}: replaces the user's attributes; active false ends the membership (a
// PUT that leaves `active` out keeps it as it is: omission never reactivates anyone).
import { scimTx } from "../../lib/scim/db.ts";
import { parseUser, toColumns } from "../../lib/scim/user-resource.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { replaceUser } from "./users-queries.ts";
import { body, notFound, recordActivity, respond, userId } from "./users-request.ts";

export const register = (app: App) =>
  app.put("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const input = parseUser(await body(c));
    const columns = toColumns(input);
    const { caller, result: row } = await scimTx(c, (q) => replaceUser(q, id, columns, null, input.active === undefined));
    if (!row) throw notFound(id);
    await recordActivity(c, caller.tenantId, row.userId, row.wasActive, row.active);
    return respond(c, row);
  }));
