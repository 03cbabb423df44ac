// PATCH /scim/v2/Users/{id}: Okta's and Entra's shapes (patch.ts). Deactivate/reactivate/rename
// set columns in one flight; anything else is read, patched with scim-patch, and written only if
// unchanged since the read (two flights; a concurrent change is 409, which the IdP retries).
import { scimTx, secondFlight } from "../../lib/scim/db.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { applyPatch, patchOperations, scalarPatch } from "../../lib/scim/patch.ts";
import { baseUrl } from "../../lib/scim/respond.ts";
import { parseUser, renderUser, toColumns } from "../../lib/scim/user-resource.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { getUser, patchUserColumns, replaceUser } from "./users-queries.ts";
import { body, notFound, recordActivity, respond, userId } from "./users-request.ts";

export const register = (app: App) =>
  app.patch("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const ops = patchOperations(await body(c));
    const scalars = scalarPatch(ops);
    if (scalars) {
      const { caller, result: row } = await scimTx(c, (q) => patchUserColumns(q, id, scalars));
      if (!row) throw notFound(id);
      await recordActivity(c, caller.tenantId, row.userId, row.wasActive, row.active);
      return respond(c, row);
    }
    const { caller, result: current } = await scimTx(c, (q) => getUser(q, id));
    if (!current) throw notFound(id);
    const patched = applyPatch(renderUser(current, baseUrl(c.req.url)), ops);
    const columns = toColumns(parseUser(patched));
    const row = await secondFlight(c, (q) => replaceUser(q, id, columns, current.version));
    if (!row) throw new ScimError(409, undefined, `User ${id} changed or was deleted meanwhile; send the PATCH again`);
    await recordActivity(c, caller.tenantId, row.userId, row.wasActive, row.active);
    return respond(c, row);
  }));
