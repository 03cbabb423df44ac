import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { saveNotificationSettings } from "./queries.ts";
import { NotificationSettings, NotificationSettingsInput } from "./schema.ts";

export const route = createRoute({
  method: "put",
  path: "/v1/me/notifications",
  tags: ["me"],
  summary: "Replace your notification settings in this business",
  description:
    "A reminder that falls in your quiet hours (in your time zone) waits until they end when that is still before the appointment, and is otherwise skipped (recorded). Telegram needs the chat id of a chat with the bot. A new custom email or Telegram chat is pending until verified: one 6-digit code goes there (POST /v1/me/notifications/verify); saving it again after its code expired sends a new one; at most 5 codes per member per hour (429 rate_limited).",
  ...tenantScope,
  request: { body: jsonBody(NotificationSettingsInput) },
  responses: { 200: json(NotificationSettings, "The settings as saved"), ...tenantErrors("unsupported_media_type", "payload_too_large", "rate_limited") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const settings = await c.var.db.tx((q) => saveNotificationSettings(q, c.req.valid("json"))).catch((e: unknown) => {
      // The database refused a 6th verification code within the hour (the window's length at most).
      if (e instanceof ApiError && e.code === "rate_limited") {
        throw new ApiError("rate_limited", "at most 5 verification codes per member per hour", { fieldErrors: e.fieldErrors, headers: { "retry-after": "3600" }, cause: e });
      }
      throw e;
    });
    return c.json(settings!, 200);
  });
