import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import { newWebhookSecret } from "../../../lib/webhooks/secret.ts";
import { sealWebhookSecret } from "../../../lib/webhooks/secret-box.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, insertEndpoint, may, MAY_MANAGE_WEBHOOKS, setSecret } from "./queries.ts";
import { WebhookEndpointCreate, WebhookEndpointWithSecret } from "./schema.ts";

// No Idempotency-Key: a stored response would hold the secret. A retried create makes a second
// endpoint; delete the one not used.
export const route = createRoute({
  method: "post",
  path: "/v1/automation/webhooks",
  tags: ["automation"],
  summary: "Subscribe an HTTPS endpoint to events (webhooks.manage)",
  description:
    "The signing secret (whsec_…) is in this response only. The URL must be HTTPS on a public host (refused otherwise: 400 at body.url). At most 25 endpoints per business (409). Not idempotent by design (a stored response would hold the secret).",
  ...tenantScope,
  request: { body: jsonBody(WebhookEndpointCreate) },
  responses: { 201: json(WebhookEndpointWithSecret, "The new endpoint and its secret, shown once"), ...tenantErrors("conflict", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const id = crypto.randomUUID();
      const secret = newWebhookSecret();
      const sealed = await sealWebhookSecret(c.var.env, c.var.tenantId, secret);
      const [allowed, row] = await c.var.db.tx((q) =>
        Promise.all([may(q), insertEndpoint(q, id, c.req.valid("json")), setSecret(q, id, sealed)]),
      );
      if (!allowed?.allowed || !row) throw new ApiError("forbidden", FORBIDDEN);
      return c.json({ ...row, secret }, 201);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
