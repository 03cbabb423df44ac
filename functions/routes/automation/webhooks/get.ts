import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, may, MAY_MANAGE_WEBHOOKS, selectEndpoint } from "./queries.ts";
import { WebhookEndpoint, WebhookIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/webhooks/{id}",
  tags: ["automation"],
  summary: "A webhook endpoint (webhooks.manage)",
  description: "Never includes the signing secret.",
  ...tenantScope,
  request: { params: WebhookIdParam },
  responses: { 200: json(WebhookEndpoint, "The endpoint"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q), selectEndpoint(q, id)]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!row) throw new ApiError("not_found", `no webhook endpoint ${id}`);
      return c.json(row, 200);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
