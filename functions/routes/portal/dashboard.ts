import { createRoute } from "@hono/zod-openapi";
import { json, portalScope, tenantErrors } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectPortalDashboard } from "./queries.ts";
import { PortalDashboard } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/portal/dashboard",
  tags: ["portal"],
  summary: "The customer's overview: counts, next appointments and tasks, latest notes (customers only)",
  ...portalScope,
  responses: { 200: json(PortalDashboard, "The customer's dashboard"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const dashboard = await c.var.db.tx((q) => selectPortalDashboard(q));
    return c.json(dashboard!, 200);
  });
