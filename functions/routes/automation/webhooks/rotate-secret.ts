import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import { newWebhookSecret } from "../../../lib/webhooks/secret.ts";
import { sealWebhookSecret } from "../../../lib/webhooks/secret-box.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, may, MAY_MANAGE_WEBHOOKS, selectEndpoint, setSecret } from "./queries.ts";
import { WebhookEndpointWithSecret, WebhookIdParam } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/webhooks/{id}/rotate-secret",
  tags: ["automation"],
  summary: "Replace an endpoint's signing secret (webhooks.manage)",
  description: "The new secret is in this response only and signs every attempt from now on (replays too). Not idempotent by design.",
  ...tenantScope,
  request: { params: WebhookIdParam },
  responses: { 200: json(WebhookEndpointWithSecret, "The endpoint and its new secret, shown once"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const secret = newWebhookSecret();
      const sealed = await sealWebhookSecret(c.var.env, c.var.tenantId, secret);
      // The secret first: set_webhook_secret() stamps secret_rotated_at, which the read then shows.
      const [allowed, set, row] = await c.var.db.tx((q) => Promise.all([may(q), setSecret(q, id, sealed), selectEndpoint(q, id)]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!row || !set?.set) throw new ApiError("not_found", `no webhook endpoint ${id}`);
      return c.json({ ...row, secret }, 200);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
