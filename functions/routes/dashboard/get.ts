import { createRoute } from "@hono/zod-openapi";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectDashboard } from "./queries.ts";
import { Dashboard } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/dashboard",
  tags: ["dashboard"],
  summary: "The caller's day: today's appointments, open and overdue tasks, what comes next",
  description:
    "Today is the calendar day in the caller's time zone (PATCH /v1/me/settings). Appointments count when the caller owns or attends them; tasks when assigned to the caller. One database round trip.",
  ...tenantScope,
  responses: { 200: json(Dashboard, "The caller's dashboard"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const dashboard = await c.var.db.tx((q) => selectDashboard(q));
    return c.json(dashboard!, 200);
  });
