import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { deleteEndpoint, FORBIDDEN, may, MAY_MANAGE_WEBHOOKS } from "./queries.ts";
import { WebhookIdParam } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/automation/webhooks/{id}",
  tags: ["automation"],
  summary: "Delete a webhook endpoint and its delivery log (webhooks.manage)",
  description: "Queued attempts find nothing to send afterwards.",
  ...tenantScope,
  request: { params: WebhookIdParam },
  responses: { 204: { description: "Deleted" }, ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q), deleteEndpoint(q, id)]));
      if (!allowed?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      if (!row) throw new ApiError("not_found", `no webhook endpoint ${id}`);
      return c.body(null, 204);
    },
    permissionFirst(MAY_MANAGE_WEBHOOKS, FORBIDDEN),
  );
