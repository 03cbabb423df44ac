import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MAY_MANAGE_SCIM, setMapping } from "./queries.ts";
import { GroupMapping, GroupMappingSet } from "./schema.ts";

export const route = createRoute({
  method: "put",
  path: "/v1/admin/scim/group-mappings",
  tags: ["scim"],
  summary: "Set the mapping of an IdP group (owner/admin)",
  description: "Creates or replaces the mapping of `groupName` (case-insensitive). Members of that group get their new role and department in the same transaction: their very next request sees it.",
  ...tenantScope,
  request: { body: jsonBody(GroupMappingSet) },
  responses: { 200: json(GroupMapping, "The mapping as set"), ...tenantErrors("forbidden", "last_owner", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const input = c.req.valid("json");
      const [may, row] = await c.var.db.tx((q) => Promise.all([q.one<{ allowed: boolean }>(MAY_MANAGE_SCIM), setMapping(q, input)]));
      if (!may?.allowed || !row) throw new ApiError("forbidden", "SCIM group mappings are for owners and admins");
      const { created: _, ...mapping } = row;
      return c.json(mapping, 200);
    },
    permissionFirst(MAY_MANAGE_SCIM, "SCIM group mappings are for owners and admins"),
  );
