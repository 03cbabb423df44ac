import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { allowed, listMappings } from "./queries.ts";
import { GroupMappingList } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/admin/scim/group-mappings",
  tags: ["scim"],
  summary: "List the IdP group → role/department mappings (owner/admin)",
  description:
    "Every business starts with Admins → admin, Managers → manager (department from another mapped group or the enterprise department), Employees → employee, Sales-Team → employee in Sales, Support-Team → employee in Support. The highest role among a member's groups wins.",
  ...tenantScope,
  responses: { 200: json(GroupMappingList, "The mappings, by group name"), ...tenantErrors("forbidden") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const [may, items] = await c.var.db.tx((q) => Promise.all([allowed(q), listMappings(q)]));
    if (!may?.allowed) throw new ApiError("forbidden", "SCIM group mappings are for owners and admins");
    return c.json({ items }, 200);
  });
