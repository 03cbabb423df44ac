import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { enableEndpoint, FORBIDDEN, may, MAY_MANAGE_WEBHOOKS, selectEndpoint } from "./queries.ts";
import { WebhookEndpoint, WebhookIdParam } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/webhooks/{id}/enable",
  tags: ["automation"],
  summary: "Re-enable a webhook endpoint (webhooks.manage)",
  description: "Clears the disabled reason and the failure count. Events that happened while it was disabled were not delivered; replay them from the delivery log.",
  ...tenantScope,
  request: { params: WebhookIdParam },
  responses: { 200: json(WebhookEndpoint, "The endpoint, enabled"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const [allowed, enabled, row] = await c.var.db.tx((q) => Promise.all([may(q), enableEndpoint(q, id), selectEndpoint(q, id)]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!enabled?.enabled || !row) throw new ApiError("not_found", `no webhook endpoint ${id}`);
      return c.json(row, 200);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
