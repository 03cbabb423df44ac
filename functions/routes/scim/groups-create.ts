// POST /scim/v2/Groups: 201 with Location and meta. A taken displayName is 409 uniqueness; a
// member who does not exist (yet) is 404, and nothing is created (the IdP retries it whole).
import { project, wants } from "../../lib/scim/attributes.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { baseUrl, scimJson } from "../../lib/scim/respond.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { getGroup, insertGroup } from "./groups-queries.ts";
import { body, groupInput, proj, renderGroup } from "./groups-request.ts";

export const register = (app: App) =>
  app.post("/scim/v2/Groups", scimHandler(async (c) => {
    const input = groupInput(await body(c));
    const p = proj(c);
    const id = crypto.randomUUID();
    const { result } = await scimTx(c, (q) => Promise.all([insertGroup(q, id, input.displayName, input.externalId, input.members), getGroup(q, id, wants(p, "members"))]));
    const base = baseUrl(c.req.url);
    return scimJson(project(renderGroup(result[1]!, base), p), 201, { location: `${base}/Groups/${id}` });
  }));
