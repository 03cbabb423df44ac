// POST /scim/v2/Users: the person becomes a Supabase Auth user (created, or found by email) and a
// member of this business; 201 with Location and meta. A taken userName or externalId is 409
// uniqueness, except a retry of the same create (same userName and externalId), which answers as
// the first one did.
import { authUserFor } from "../../lib/scim/auth-admin.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { baseUrl } from "../../lib/scim/respond.ts";
import { parseUser, toColumns } from "../../lib/scim/user-resource.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { insertUser } from "./users-queries.ts";
import { body, respond } from "./users-request.ts";

export const register = (app: App) =>
  app.post("/scim/v2/Users", scimHandler(async (c) => {
    const input = parseUser(await body(c));
    const columns = toColumns(input);
    const person = await authUserFor(c.var.env, columns.email!, columns.displayName);
    const { result: row } = await scimTx(c, (q) => insertUser(q, person, columns));
    if (!row) throw new ScimError(409, "uniqueness", "this person is already provisioned in this business under another userName");
    const retry = !row.created && row.userName.toLowerCase() === columns.userName.toLowerCase() && row.externalId !== null && row.externalId === columns.externalId && row.userId === person;
    if (!row.created && !retry) {
      const field = row.userName.toLowerCase() === columns.userName.toLowerCase() ? "userName" : row.externalId === columns.externalId ? "externalId" : "the person (email)";
      throw new ScimError(409, "uniqueness", `${field} is already taken by User ${row.id}`);
    }
    // A retried create (same userName and externalId) answers as the first one did.
    return respond(c, row, 201, { location: `${baseUrl(c.req.url)}/Users/${row.id}` });
  }));
