import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { IdempotencyHeaders, json, tenantErrors, tenantScopePost } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { MAY_MANAGE, setTemplate } from "./queries.ts";
import { Template, TemplateKeyParam } from "./schema.ts";

const FORBIDDEN = "automation templates are turned on and off by members with automation.manage";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/templates/{key}/enable",
  tags: ["automation"],
  summary: "Turn a built-in template on (automation.manage)",
  description: "Idempotent: enabling an enabled template changes nothing. appointment_follow_up creates its workflow on first enable (version 1, trigger appointment.completed) and activates it after; daily_digest sends each staff member's first digest at the next 08:00 in their time zone.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, params: TemplateKeyParam },
  responses: { 200: json(Template, "The template"), ...tenantErrors("idempotency_conflict") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { key } = c.req.valid("param");
      const { allowed, template } = await c.var.db.tx((q) => setTemplate(q, key, true));
      if (!allowed || !template) throw new ApiError("forbidden", FORBIDDEN);
      return c.json(template, 200);
    },
    permissionFirst(MAY_MANAGE, FORBIDDEN),
  );
