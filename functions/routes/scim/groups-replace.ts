// PUT /scim/v2/Groups/{id}: displayName, externalId and the whole member list, in one flight.
import { project, wants } from "../../lib/scim/attributes.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { baseUrl, scimJson } from "../../lib/scim/respond.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { applyGroupChanges } from "./group-changes.ts";
import { getGroup, groupWrites, type GroupRow } from "./groups-queries.ts";
import { body, groupId, groupInput, notFound, proj, renderGroup } from "./groups-request.ts";

export const register = (app: App) =>
  app.put("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const input = groupInput(await body(c));
    const p = proj(c);
    const { result } = await scimTx(c, (q) =>
      Promise.all([
        groupWrites.exists(q, id),
        ...applyGroupChanges(q, id, [
          { kind: "rename", displayName: input.displayName },
          { kind: "externalId", externalId: input.externalId },
          { kind: "keepOnly", members: input.members },
        ]),
        getGroup(q, id, wants(p, "members")),
      ]),
    );
    const row = result.at(-1) as GroupRow | undefined;
    if (!(result[0] as { found: boolean } | undefined)?.found || !row) throw notFound(id);
    return scimJson(project(renderGroup(row, baseUrl(c.req.url)), p));
  }));
