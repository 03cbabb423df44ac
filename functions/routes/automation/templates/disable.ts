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
  path: "/v1/automation/templates/{key}/disable",
  tags: ["automation"],
  summary: "Turn a built-in template off (automation.manage)",
  description: "Idempotent. appointment_reminders off: no reminders are queued, and queued ones are not sent. appointment_follow_up off: its workflow is deactivated (kept, with its executions). daily_digest off: no more digests.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, params: TemplateKeyParam },
  responses: { 200: json(Template, "The template"), ...tenantErrors("idempotency_conflict") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { key } = c.req.valid("param");
      const { allowed, template } = await c.var.db.tx((q) => setTemplate(q, key, false));
      if (!allowed || !template) throw new ApiError("forbidden", FORBIDDEN);
      return c.json(template, 200);
    },
    permissionFirst(MAY_MANAGE, FORBIDDEN),
  );
