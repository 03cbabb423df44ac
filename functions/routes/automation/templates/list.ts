import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { listTemplates, MAY_READ } from "./queries.ts";
import { TemplateList } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/templates",
  tags: ["automation"],
  summary: "The built-in automation templates and whether each is on (automation.read)",
  description: "appointment_reminders (on by default), appointment_follow_up (a workflow on appointment.completed), daily_digest (08:00 in each staff member's time zone).",
  ...tenantScope,
  responses: { 200: json(TemplateList, "Every template, in a fixed order"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const [may, data] = await c.var.db.tx((q) => Promise.all([q.one<{ allowed: boolean }>(MAY_READ), listTemplates(q)]));
    if (!may?.allowed) throw new ApiError("forbidden", "automation templates are for members with automation.read");
    return c.json({ data }, 200);
  });
