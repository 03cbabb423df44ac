import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { MAY_READ_AUTOMATION, selectAutomationSettings } from "./queries.ts";
import { AutomationSettings } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/settings",
  tags: ["automation"],
  summary: "The business's automation settings (automation.read)",
  description: "When appointment reminders go out (default 24 h and 1 h before).",
  ...tenantScope,
  responses: { 200: json(AutomationSettings, "The settings"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const [may, settings] = await c.var.db.tx((q) => Promise.all([q.one<{ allowed: boolean }>(MAY_READ_AUTOMATION), selectAutomationSettings(q)]));
    if (!may?.allowed) throw new ApiError("forbidden", "automation settings are for members with automation.read");
    return c.json(settings!, 200);
  });
