import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, may, MAY_MANAGE_WEBHOOKS, updateEndpoint } from "./queries.ts";
import { WebhookEndpoint, WebhookEndpointPatch, WebhookIdParam } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/automation/webhooks/{id}",
  tags: ["automation"],
  summary: "Change a webhook endpoint (webhooks.manage)",
  description: "url, description, eventTypes (null: all); enabled: false disables it (POST …/enable re-enables). A new URL is checked like a new endpoint's.",
  ...tenantScope,
  request: { params: WebhookIdParam, body: jsonBody(WebhookEndpointPatch) },
  responses: { 200: json(WebhookEndpoint, "The endpoint"), ...tenantErrors("not_found", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q), updateEndpoint(q, id, c.req.valid("json"))]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!row) throw new ApiError("not_found", `no webhook endpoint ${id}`);
      return c.json(row, 200);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
