// PATCH /scim/v2/Groups/{id}: members added, removed (members[value eq "…"] or a value list) or
// replaced, displayName and externalId set: SQL statements in order, one flight (group-changes.ts).
import { scimTx } from "../../lib/scim/db.ts";
import { patchOperations } from "../../lib/scim/patch.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { applyGroupChanges, groupChanges } from "./group-changes.ts";
import { groupWrites } from "./groups-queries.ts";
import { body, groupId, notFound } from "./groups-request.ts";

export const register = (app: App) =>
  app.patch("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const changes = groupChanges(patchOperations(await body(c)));
    const { result } = await scimTx(c, (q) => Promise.all([groupWrites.exists(q, id), ...applyGroupChanges(q, id, changes)]));
    if (!(result[0] as { found: boolean } | undefined)?.found) throw notFound(id);
    return c.body(null, 204);
  }));
