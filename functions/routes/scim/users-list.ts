// GET /scim/v2/Users: a page of users (startIndex, count), filtered in SQL, with attributes or
// excludedAttributes applied; totalResults, itemsPerPage and startIndex on every page.
import { projection, project } from "../../lib/scim/attributes.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { listQuery } from "../../lib/scim/list-query.ts";
import { baseUrl, listResponse } from "../../lib/scim/respond.ts";
import { renderUser } from "../../lib/scim/user-resource.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { listUsers, userFilter } from "./users-queries.ts";

export const register = (app: App) =>
  app.get("/scim/v2/Users", scimHandler(async (c) => {
    const query = listQuery((n) => c.req.query(n));
    const p = projection(query.attributes, query.excludedAttributes);
    const filter = userFilter(query.filter);
    const { result } = await scimTx(c, (q) => listUsers(q, query, filter));
    const base = baseUrl(c.req.url);
    return listResponse(result.rows.map((r) => project(renderUser(r, base), p)), result.total, query.startIndex);
  }));
