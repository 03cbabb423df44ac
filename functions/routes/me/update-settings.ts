import { createRoute } from "@hono/zod-openapi";
import { json, jsonBody, userErrors, userScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { upsertSettings } from "./queries.ts";
import { Settings, SettingsPatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/me/settings",
  tags: ["me"],
  summary: "Change the caller's time zone or locale",
  ...userScope,
  request: { body: jsonBody(SettingsPatch) },
  responses: { 200: json(Settings, "The settings after the change"), ...userErrors("unsupported_media_type", "payload_too_large") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const settings = await c.var.db.tx((q) => upsertSettings(q, c.req.valid("json")));
    return c.json(settings!, 200);
  });
