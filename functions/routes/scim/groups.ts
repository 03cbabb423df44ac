// /scim/v2/Groups: list (filter by displayName, paging, excludedAttributes=members honoured in
// SQL), create, get, replace (PUT), PATCH (members and attributes, in SQL) and delete. Each
// member change recomputes that member's role and department from the group mappings in the same
// transaction, so their very next API request sees it.
import type { Context } from "hono";
import { projection, project, wants, type Projection } from "../../lib/scim/attributes.ts";
import { SCHEMAS } from "../../lib/scim/constants.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { listQuery } from "../../lib/scim/list-query.ts";
import { patchOperations } from "../../lib/scim/patch.ts";
import { baseUrl, listResponse, scimJson } from "../../lib/scim/respond.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App, AppConfig } from "../../types.ts";
import { applyGroupChanges, groupChanges, memberIds } from "./group-patch.ts";
import { deleteGroup, getGroup, groupFilter, groupWrites, insertGroup, listGroups, type GroupRow } from "./groups-queries.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = (id: string) => new ScimError(404, undefined, `no Group ${id}`);

function groupId(c: Context<AppConfig>): string {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound(id.slice(0, 64));
  return id.toLowerCase();
}

async function body(c: Context<AppConfig>): Promise<Record<string, unknown>> {
  let b: unknown;
  try {
    b = await c.req.json();
  } catch {
    throw new ScimError(400, "invalidSyntax", "the body is not JSON");
  }
  if (!b || typeof b !== "object" || Array.isArray(b)) throw new ScimError(400, "invalidSyntax", "the body must be a JSON object");
  return b as Record<string, unknown>;
}

function groupInput(b: Record<string, unknown>) {
  const name = b.displayName;
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 200) throw new ScimError(400, "invalidValue", "displayName is required (at most 200 characters)");
  const ext = b.externalId;
  if (ext !== undefined && ext !== null && (typeof ext !== "string" || ext.length === 0 || ext.length > 255)) throw new ScimError(400, "invalidValue", "externalId must be a string of at most 255 characters");
  return { displayName: name.trim(), externalId: (ext as string | null | undefined) ?? null, members: memberIds(b.members, "members") };
}

function renderGroup(row: GroupRow, base: string) {
  return {
    schemas: [SCHEMAS.group],
    id: row.id,
    displayName: row.displayName,
    ...(row.externalId !== null ? { externalId: row.externalId } : {}),
    ...(row.members ? { members: row.members.map((m) => ({ value: m.value, display: m.display, $ref: `${base}/Users/${m.value}` })) } : {}),
    meta: { resourceType: "Group", created: row.createdAt, lastModified: row.updatedAt, location: `${base}/Groups/${row.id}`, version: `W/"${Date.parse(row.updatedAt)}"` },
  };
}

const proj = (c: Context<AppConfig>): Projection => projection(c.req.query("attributes"), c.req.query("excludedAttributes"));

export const register = (app: App) => {
  app.get("/scim/v2/Groups", scimHandler(async (c) => {
    const query = listQuery((n) => c.req.query(n));
    const p = projection(query.attributes, query.excludedAttributes);
    const filter = groupFilter(query.filter);
    const { result } = await scimTx(c, (q) => listGroups(q, query, filter, wants(p, "members")));
    const base = baseUrl(c.req.url);
    return listResponse(result.rows.map((r) => project(renderGroup(r, base), p)), result.total, query.startIndex);
  }));

  app.post("/scim/v2/Groups", scimHandler(async (c) => {
    const input = groupInput(await body(c));
    const p = proj(c);
    const id = crypto.randomUUID();
    const { result } = await scimTx(c, (q) => Promise.all([insertGroup(q, id, input.displayName, input.externalId, input.members), getGroup(q, id, wants(p, "members"))]));
    const base = baseUrl(c.req.url);
    return scimJson(project(renderGroup(result[1]!, base), p), 201, { location: `${base}/Groups/${id}` });
  }));

  app.get("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const p = proj(c);
    const { result: row } = await scimTx(c, (q) => getGroup(q, id, wants(p, "members")));
    if (!row) throw notFound(id);
    return scimJson(project(renderGroup(row, baseUrl(c.req.url)), p));
  }));

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

  app.patch("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const changes = groupChanges(patchOperations(await body(c)));
    const { result } = await scimTx(c, (q) => Promise.all([groupWrites.exists(q, id), ...applyGroupChanges(q, id, changes)]));
    if (!(result[0] as { found: boolean } | undefined)?.found) throw notFound(id);
    return c.body(null, 204);
  }));

  app.delete("/scim/v2/Groups/:id", scimHandler(async (c) => {
    const id = groupId(c);
    const { result } = await scimTx(c, (q) => deleteGroup(q, id));
    if (!result) throw notFound(id);
    return c.body(null, 204);
  }));
};
