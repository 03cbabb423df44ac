import { createRoute } from "@hono/zod-openapi";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectNotificationSettings } from "./queries.ts";
import { NotificationSettings } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/me/notifications",
  tags: ["me"],
  summary: "Your notification settings in this business",
  description: "Channels, addresses and quiet hours for reminders. Defaults when never saved: email on (to your email in this business), Telegram off, no quiet hours.",
  ...tenantScope,
  responses: { 200: json(NotificationSettings, "The settings"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const settings = await c.var.db.tx((q) => selectNotificationSettings(q));
    return c.json(settings!, 200);
  });
