import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createReminder } from "./queries.ts";
import { Reminder, ReminderCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/reminders",
  tags: ["automation"],
  summary: "Schedule a reminder for yourself, or (automation.manage) for another staff member",
  description:
    "At remindAt the reminder goes out through the recipient's enabled channels (GET /v1/me/notifications), once per channel, respecting their quiet hours. Cancel it with DELETE before then.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(ReminderCreate) },
  responses: {
    201: json(Reminder, "The scheduled reminder"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type", "payload_too_large", "rate_limited"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    const result = await c.var.db.tx((q) => createReminder(q, input));
    if (!result?.allowed) throw new ApiError("forbidden", "reminding another member needs automation.manage");
    if (!result.member || !result.reminder) {
      throw new ApiError("not_found", `no active staff member ${input.userId ?? ""}`.trim(), { fieldErrors: [{ path: "body.userId", message: "is not an active staff member of this business" }] });
    }
    return c.json(result.reminder, 201);
  });
