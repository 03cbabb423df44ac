// GET /scim/v2/Groups/{id}: one group, with its members unless excluded.
import { project, wants } from "../../lib/scim/attributes.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { baseUrl, scimJson } from "../../lib/scim/respond.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { getGroup } from "./groups-queries.ts";
import { groupId, notFound, proj, renderGroup } from "./groups-request.ts";

export const register = (app: App) =>
  app.get("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const p = proj(c);
    const { result: row } = await scimTx(c, (q) => getGroup(q, id, wants(p, "members")));
    if (!row) throw notFound(id);
    return scimJson(project(renderGroup(row, baseUrl(c.req.url)), p));
  }));
