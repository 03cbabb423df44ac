import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { allowed, listTokens } from "./queries.ts";
import { ScimTokenList } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/admin/scim/tokens",
  tags: ["scim"],
  summary: "List the business's SCIM tokens (owner/admin)",
  description: "Names, expiry, last use, rotation and revocation; never a token or its hash.",
  ...tenantScope,
  responses: { 200: json(ScimTokenList, "Every SCIM token, oldest first"), ...tenantErrors("forbidden") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const [may, items] = await c.var.db.tx((q) => Promise.all([allowed(q), listTokens(q)]));
    if (!may?.allowed) throw new ApiError("forbidden", "SCIM tokens are for owners and admins");
    return c.json({ items }, 200);
  });
