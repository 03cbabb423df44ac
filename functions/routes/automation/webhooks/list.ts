import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { decodeCursor, paginate, PageQuery } from "../../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, listEndpoints, may, MAY_MANAGE_WEBHOOKS } from "./queries.ts";
import { WebhookEndpointPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/webhooks",
  tags: ["automation"],
  summary: "Webhook endpoints, oldest first (webhooks.manage)",
  description: "Never includes the signing secret.",
  ...tenantScope,
  request: { query: PageQuery },
  responses: { 200: json(WebhookEndpointPage, "A page of endpoints"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const after = decodeCursor(cursor, 2);
      const [allowed, rows] = await c.var.db.tx((q) => Promise.all([may(q), listEndpoints(q, { limit, after })]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      return c.json(paginate(rows, limit), 200);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
