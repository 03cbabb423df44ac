// GET /scim/v2/Groups: a page of groups, filtered in SQL (displayName, externalId, members);
// excludedAttributes=members (Entra's) skips reading the members at all.
import { projection, project, wants } from "../../lib/scim/attributes.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { listQuery } from "../../lib/scim/list-query.ts";
import { baseUrl, listResponse } from "../../lib/scim/respond.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { groupFilter, listGroups } from "./groups-queries.ts";
import { renderGroup } from "./groups-request.ts";

export const register = (app: App) =>
  app.get("/scim/v2/Groups", scimHandler(async (c) => {
    const query = listQuery((n) => c.req.query(n));
    const p = projection(query.attributes, query.excludedAttributes);
    const filter = groupFilter(query.filter);
    const { result } = await scimTx(c, (q) => listGroups(q, query, filter, wants(p, "members")));
    const base = baseUrl(c.req.url);
    return listResponse(result.rows.map((r) => project(renderGroup(r, base), p)), result.total, query.startIndex);
  }));
