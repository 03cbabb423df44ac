// GET /scim/v2/Users/{id}: one user (404 for an id of another business, or none).
import { scimTx } from "../../lib/scim/db.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { getUser } from "./users-queries.ts";
import { notFound, respond, userId } from "./users-request.ts";

export const register = (app: App) =>
  app.get("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const { result: row } = await scimTx(c, (q) => getUser(q, id));
    if (!row) throw notFound(id);
    return respond(c, row);
  }));
