import { createRoute } from "@hono/zod-openapi";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MAY_MANAGE_AUTOMATION, saveAutomationSettings } from "./queries.ts";
import { AutomationSettings, AutomationSettingsInput } from "./schema.ts";

export const route = createRoute({
  method: "put",
  path: "/v1/automation/settings",
  tags: ["automation"],
  summary: "Change the business's automation settings (automation.manage)",
  description: "New offsets apply to appointments created or moved from now on; reminders already queued keep theirs.",
  ...tenantScope,
  request: { body: jsonBody(AutomationSettingsInput) },
  responses: { 200: json(AutomationSettings, "The settings as saved"), ...tenantErrors("unsupported_media_type", "payload_too_large") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { reminderOffsetsMinutes } = c.req.valid("json");
      // Without automation.manage the insert's policy refuses: 42501 → 403.
      const settings = await c.var.db.tx((q) => saveAutomationSettings(q, [...reminderOffsetsMinutes].sort((a, b) => b - a)));
      return c.json(settings!, 200);
    },
    permissionFirst(MAY_MANAGE_AUTOMATION, "automation settings are changed with automation.manage"),
  );
