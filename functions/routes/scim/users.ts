// /scim/v2/Users: list (filter, paging, attributes), create, get, replace (PUT), PATCH, delete.
// A user is a membership of this business only; deactivation (active false, or DELETE) ends the
// membership at once (RLS reads it on the next request) and refuses the person's still-valid
// access tokens before they count against the business's limits (Redis revocation keys).
import type { Context } from "hono";
import { redisFor } from "../../lib/redis.ts";
import { restoreMember, revokeMember } from "../../lib/revocations.ts";
import { projection, project } from "../../lib/scim/attributes.ts";
import { authUserFor } from "../../lib/scim/auth-admin.ts";
import { scimDb, scimTx } from "../../lib/scim/db.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { listQuery } from "../../lib/scim/list-query.ts";
import { applyPatch, patchOperations, scalarPatch } from "../../lib/scim/patch.ts";
import { baseUrl, listResponse, scimJson } from "../../lib/scim/respond.ts";
import { sha256Hex } from "../../lib/scim/token.ts";
import { parseUser, renderUser, toColumns, type UserRow } from "../../lib/scim/user-resource.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App, AppConfig } from "../../types.ts";
import { deleteUser, getUser, insertUser, listUsers, patchUserColumns, replaceUser, userFilter } from "./users-queries.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = (id: string) => new ScimError(404, undefined, `no User ${id}`);

/** An id that is not one of ours is simply not found (never a 400 or a 500). */
function userId(c: Context<AppConfig>): string {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound(id.slice(0, 64));
  return id.toLowerCase();
}

async function body(c: Context<AppConfig>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ScimError(400, "invalidSyntax", "the body is not JSON");
  }
}

/** The membership ended or came back: keep the person's tokens off (or back on) the limits. */
async function recordActivity(c: Context<AppConfig>, tenantId: string, person: string, wasActive: boolean, active: boolean) {
  if (wasActive === active) return;
  const redis = redisFor(c.var.env);
  const write = active ? restoreMember(redis, tenantId, person) : revokeMember(redis, tenantId, person);
  await write.catch((e: unknown) => c.var.log("warn", "could not record a member's revocation", { error: String(e) }));
}

const respond = (c: Context<AppConfig>, row: UserRow, status = 200, headers: Record<string, string> = {}) =>
  scimJson(project(renderUser(row, baseUrl(c.req.url)), projection(c.req.query("attributes"), c.req.query("excludedAttributes"))), status, headers);

export const register = (app: App) => {
  app.get("/scim/v2/Users", scimHandler(async (c) => {
    const query = listQuery((n) => c.req.query(n));
    const p = projection(query.attributes, query.excludedAttributes);
    const filter = userFilter(query.filter);
    const { result } = await scimTx(c, (q) => listUsers(q, query, filter));
    const base = baseUrl(c.req.url);
    return listResponse(result.rows.map((r) => project(renderUser(r, base), p)), result.total, query.startIndex);
  }));

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

  app.get("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const { result: row } = await scimTx(c, (q) => getUser(q, id));
    if (!row) throw notFound(id);
    return respond(c, row);
  }));

  app.put("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const columns = toColumns(parseUser(await body(c)));
    const { caller, result: row } = await scimTx(c, (q) => replaceUser(q, id, columns));
    if (!row) throw notFound(id);
    await recordActivity(c, caller.tenantId, row.userId, row.wasActive, row.active);
    return respond(c, row);
  }));

  // Deactivate/reactivate/rename set columns only: one flight. Anything else: read, apply the
  // operations (scim-patch), write only if unchanged since the read: two flights.
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
    const write = scimDb(c, await sha256Hex(c.req.header("authorization")!.replace(/^Bearer +/i, "")));
    let row;
    try {
      row = await write.tx((q) => replaceUser(q, id, columns, current.version));
    } finally {
      await write.finish();
    }
    if (!row) throw new ScimError(409, undefined, `User ${id} changed or was deleted meanwhile; send the PATCH again`);
    await recordActivity(c, caller.tenantId, row.userId, row.wasActive, row.active);
    return respond(c, row);
  }));

  app.delete("/scim/v2/Users/:id", scimHandler(async (c) => {
    const id = userId(c);
    const { caller, result } = await scimTx(c, (q) => deleteUser(q, id));
    if (!result) throw notFound(id);
    await recordActivity(c, caller.tenantId, result.userId, true, false);
    return c.body(null, 204);
  }));
};
