import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { newScimToken, sha256Hex } from "../../lib/scim/token.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MAY_MANAGE_SCIM, rotateToken } from "./queries.ts";
import { ScimTokenRotate, ScimTokenRotated, TokenIdParam } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/admin/scim/tokens/{tokenId}/rotate",
  tags: ["scim"],
  summary: "Rotate a SCIM token (owner/admin)",
  description:
    "Issues a new token with the same name (shown once) and lets the old one work until the end of the overlap (default 60 minutes), so the identity provider can be switched without a gap. A revoked or expired token cannot be rotated (404). Not idempotent by design.",
  ...tenantScope,
  request: { params: TokenIdParam, body: jsonBody(ScimTokenRotate) },
  responses: { 201: json(ScimTokenRotated, "The new token, shown once, and the old one's new expiry"), ...tenantErrors("forbidden", "not_found", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { tokenId } = c.req.valid("param");
      const { overlapMinutes, expiresInDays } = c.req.valid("json");
      const token = newScimToken();
      const hash = await sha256Hex(token);
      const [may, row] = await c.var.db.tx((q) =>
        Promise.all([q.one<{ allowed: boolean }>(MAY_MANAGE_SCIM), rotateToken(q, tokenId, hash, overlapMinutes, expiresInDays)]),
      );
      if (!may?.allowed) throw new ApiError("forbidden", "SCIM tokens are for owners and admins");
      if (!row) throw new ApiError("not_found", `no active SCIM token ${tokenId}`);
      return c.json({ ...row.next, token, previous: row.previous }, 201);
    },
    permissionFirst(MAY_MANAGE_SCIM, "SCIM tokens are for owners and admins"),
  );
