import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { cancelReminder } from "./queries.ts";
import { Reminder, ReminderIdParam } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/automation/reminders/{reminderId}",
  tags: ["automation"],
  summary: "Cancel a reminder (its recipient, its author, or automation.manage)",
  description: "A cancelled reminder's delivery is a no-op. Cancelling a cancelled reminder changes nothing; one already delivered stays delivered.",
  ...tenantScope,
  request: { params: ReminderIdParam },
  responses: { 200: json(Reminder, "The reminder, cancelled"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { reminderId } = c.req.valid("param");
    const result = await c.var.db.tx((q) => cancelReminder(q, reminderId));
    assertVisible(result, `reminder ${reminderId}`);
    if (!result.changed && result.reminder?.status !== "cancelled") throw new ApiError("forbidden", "only its recipient, its author or automation.manage may cancel a reminder");
    return c.json(result.reminder!, 200);
  });
