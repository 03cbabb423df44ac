import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { getReminder } from "./queries.ts";
import { Reminder, ReminderIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/reminders/{reminderId}",
  tags: ["automation"],
  summary: "One reminder, with what was delivered on each channel",
  ...tenantScope,
  request: { params: ReminderIdParam },
  responses: { 200: json(Reminder, "The reminder"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { reminderId } = c.req.valid("param");
    const reminder = await c.var.db.tx((q) => getReminder(q, reminderId));
    if (!reminder) throw new ApiError("not_found", `reminder ${reminderId}`);
    return c.json(reminder, 200);
  });
