import { createRoute } from "@hono/zod-openapi";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { newScimToken, sha256Hex } from "../../lib/scim/token.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { createToken, MAY_MANAGE_SCIM } from "./queries.ts";
import { ScimTokenCreate, ScimTokenSecret } from "./schema.ts";

// No Idempotency-Key here: a stored response would hold the token itself, and only its hash
// may be stored anywhere. A retried create makes a second token; revoke the one not used.
export const route = createRoute({
  method: "post",
  path: "/v1/admin/scim/tokens",
  tags: ["scim"],
  summary: "Create a SCIM token (owner/admin)",
  description: "The token is in this response only: paste it into the identity provider. Only its SHA-256 is stored. Not idempotent by design (a stored response would hold the secret).",
  ...tenantScope,
  request: { body: jsonBody(ScimTokenCreate) },
  responses: { 201: json(ScimTokenSecret, "The new token, shown once"), ...tenantErrors("forbidden", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { name, expiresInDays } = c.req.valid("json");
      const token = newScimToken();
      const hash = await sha256Hex(token);
      const row = await c.var.db.tx((q) => createToken(q, name, hash, expiresInDays));
      return c.json({ ...row!, token }, 201);
    },
    permissionFirst(MAY_MANAGE_SCIM, "SCIM tokens are for owners and admins"),
  );
