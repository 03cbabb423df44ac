// What every /scim/v2/Groups route shares: the id in the path, the JSON body, the Group as
// it is sent and as it is rendered. Each member change recomputes that member's role and
// department from the group mappings in the same transaction (triggers), so their very next API
// request sees it.
import type { Context } from "hono";
import { projection, type Projection } from "../../lib/scim/attributes.ts";
import { SCHEMAS } from "../../lib/scim/constants.ts";
import { scimBody } from "../../lib/scim/body.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import type { AppConfig } from "../../types.ts";
import { memberIds } from "./group-changes.ts";
import { type GroupRow } from "./groups-queries.ts";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const notFound = (id: string) => new ScimError(404, undefined, `no Group ${id}`);

export function groupId(c: Context<AppConfig>): string {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound(id.slice(0, 64));
  return id.toLowerCase();
}

export async function body(c: Context<AppConfig>): Promise<Record<string, unknown>> {
  const b = await scimBody(c);
  if (!b || typeof b !== "object" || Array.isArray(b)) throw new ScimError(400, "invalidSyntax", "the body must be a JSON object");
  return b as Record<string, unknown>;
}

export function groupInput(b: Record<string, unknown>) {
  const name = b.displayName;
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 200) throw new ScimError(400, "invalidValue", "displayName is required (at most 200 characters)");
  const ext = b.externalId;
  if (ext !== undefined && ext !== null && (typeof ext !== "string" || ext.length === 0 || ext.length > 255)) throw new ScimError(400, "invalidValue", "externalId must be a string of at most 255 characters");
  return { displayName: name.trim(), externalId: (ext as string | null | undefined) ?? null, members: memberIds(b.members, "members") };
}

export function renderGroup(row: GroupRow, base: string) {
  return {
    schemas: [SCHEMAS.group],
    id: row.id,
    displayName: row.displayName,
    ...(row.externalId !== null ? { externalId: row.externalId } : {}),
    ...(row.members ? { members: row.members.map((m) => ({ value: m.value, display: m.display, $ref: `${base}/Users/${m.value}` })) } : {}),
    meta: { resourceType: "Group", created: row.createdAt, lastModified: row.updatedAt, location: `${base}/Groups/${row.id}`, version: `W/"${Date.parse(row.updatedAt)}"` },
  };
}

export const proj = (c: Context<AppConfig>): Projection => projection(c.req.query("attributes"), c.req.query("excludedAttributes"));
