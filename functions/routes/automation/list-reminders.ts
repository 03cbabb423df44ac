import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listReminders } from "./queries.ts";
import { ReminderListQuery, ReminderPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/reminders",
  tags: ["automation"],
  summary: "Ad-hoc reminders, by time: yours (for you or by you); everyone's with automation.read",
  ...tenantScope,
  request: { query: ReminderListQuery },
  responses: { 200: json(ReminderPage, "A page of reminders"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, userId, status } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listReminders(q, { limit, after, userId, status }));
    return c.json(paginate(rows, limit), 200);
  });
