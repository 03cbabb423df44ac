import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { allowed, revokeToken } from "./queries.ts";
import { ScimToken, TokenIdParam } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/admin/scim/tokens/{tokenId}",
  tags: ["scim"],
  summary: "Revoke a SCIM token (owner/admin)",
  description: "Immediate: the next SCIM request with it is 401. The row stays (audit); revoking again changes nothing.",
  ...tenantScope,
  request: { params: TokenIdParam },
  responses: { 200: json(ScimToken, "The token, revoked"), ...tenantErrors("forbidden", "not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { tokenId } = c.req.valid("param");
    const [may, row] = await c.var.db.tx((q) => Promise.all([allowed(q), revokeToken(q, tokenId)]));
    if (!may?.allowed) throw new ApiError("forbidden", "SCIM tokens are for owners and admins");
    if (!row) throw new ApiError("not_found", `SCIM token ${tokenId}`);
    return c.json(row, 200);
  });
