// POST /scim/v2/Users: the person becomes a Supabase Auth user (created, or found by email) and a
// member of this business; 201 with Location and meta. A taken userName or externalId is 409
// uniqueness, except a retry of the same create (same userName and externalId), which answers as
// the first one did. Two flights around the Auth call: the token is proven (and a retry found)
// before Supabase Auth is asked for anyone; the insert follows.
import { authUserFor } from "../../lib/scim/auth-admin.ts";
import { scimTx, secondFlight } from "../../lib/scim/db.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { baseUrl } from "../../lib/scim/respond.ts";
import { parseUser, toColumns, type UserColumns, type UserRow } from "../../lib/scim/user-resource.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { findUser, insertUser } from "./users-queries.ts";
import { body, respond } from "./users-request.ts";

/** A retried create (same userName and externalId) answers as the first one did; else 409. */
function existing(row: UserRow, columns: UserColumns, person: string | null): UserRow {
  const sameName = row.userName.toLowerCase() === columns.userName.toLowerCase();
  if (sameName && row.externalId !== null && row.externalId === columns.externalId && (person === null || row.userId === person)) return row;
  const field = sameName ? "userName" : row.externalId !== null && row.externalId === columns.externalId ? "externalId" : "the person (email)";
  throw new ScimError(409, "uniqueness", `${field} is already taken by User ${row.id}`);
}

export const register = (app: App) =>
  app.post("/scim/v2/Users", scimHandler(async (c) => {
    const columns = toColumns(parseUser(await body(c)));
    const location = (row: UserRow) => ({ location: `${baseUrl(c.req.url)}/Users/${row.id}` });
    // First the token (only a valid one may make anyone an Auth user) and a retry's answer.
    const { result: found } = await scimTx(c, (q) => findUser(q, columns));
    if (found) return respond(c, existing(found, columns, null), 201, location(found));
    const person = await authUserFor(c.var.env, columns.email!, columns.displayName);
    const row = await secondFlight(c, (q) => insertUser(q, person, columns));
    if (!row) throw new ScimError(409, "uniqueness", "this person is already provisioned in this business under another userName");
    const created = row.created ? row : existing(row, columns, person);
    return respond(c, created, 201, location(created));
  }));
