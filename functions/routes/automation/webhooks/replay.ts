import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { FORBIDDEN, may, MAY_MANAGE_WEBHOOKS, replayDelivery } from "./queries.ts";
import { DeliveryIdParams, WebhookReplay } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/webhooks/{id}/deliveries/{deliveryId}/replay",
  tags: ["automation"],
  summary: "Send a delivery again (webhooks.manage)",
  description:
    "Queues a new attempt of the same delivery: the same webhook-id (receivers deduplicate on it) and body, a new attempt id, signed with the current secret. The endpoint must be enabled when it is sent.",
  ...tenantScope,
  request: { params: DeliveryIdParams },
  responses: { 202: json(WebhookReplay, "Queued"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id, deliveryId } = c.req.valid("param");
      const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q), replayDelivery(q, id, deliveryId)]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!row?.attempt) throw new ApiError("not_found", `no delivery ${deliveryId} of webhook endpoint ${id}`);
      return c.json({ deliveryId, attemptId: row.attempt }, 202);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
