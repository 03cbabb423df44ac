import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { decodeCursor, paginate } from "../../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, listDeliveries, may, MAY_MANAGE_WEBHOOKS, selectEndpoint } from "./queries.ts";
import { WebhookDeliveryListQuery, WebhookDeliveryPage, WebhookIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/webhooks/{id}/deliveries",
  tags: ["automation"],
  summary: "An endpoint's deliveries and their attempts, newest first (webhooks.manage)",
  ...tenantScope,
  request: { params: WebhookIdParam, query: WebhookDeliveryListQuery },
  responses: { 200: json(WebhookDeliveryPage, "A page of deliveries"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const after = decodeCursor(cursor, 2);
      const [allowed, endpoint, rows] = await c.var.db.tx((q) =>
        Promise.all([may(q), selectEndpoint(q, id), listDeliveries(q, id, { limit, after })]),
      );
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!endpoint) throw new ApiError("not_found", `no webhook endpoint ${id}`);
      return c.json(paginate(rows, limit), 200);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
