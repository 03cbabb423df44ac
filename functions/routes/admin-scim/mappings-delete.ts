import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { allowed, deleteMapping } from "./queries.ts";
import { GroupMapping, MappingIdParam } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/admin/scim/group-mappings/{mappingId}",
  tags: ["scim"],
  summary: "Delete an IdP group mapping (owner/admin)",
  description: "Members of that group fall back to their other groups' mappings (employee when none), in the same transaction.",
  ...tenantScope,
  request: { params: MappingIdParam },
  responses: { 200: json(GroupMapping, "The mapping that was deleted"), ...tenantErrors("forbidden", "not_found", "last_owner") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { mappingId } = c.req.valid("param");
    const [may, row] = await c.var.db.tx((q) => Promise.all([allowed(q), deleteMapping(q, mappingId)]));
    if (!may?.allowed) throw new ApiError("forbidden", "SCIM group mappings are for owners and admins");
    if (!row) throw new ApiError("not_found", `group mapping ${mappingId}`);
    return c.json(row, 200);
  });
