// Turning a built-in template on or off: the same route twice, one file each (enable.ts, disable.ts).
import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { IdempotencyHeaders, json, tenantErrors, tenantScopePost } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { MAY_MANAGE, setTemplate } from "./queries.ts";
import { Template, TemplateKeyParam } from "./schema.ts";

const FORBIDDEN = "automation templates are turned on and off by members with automation.manage";

export function toggleRoute(on: boolean, doc: { summary: string; description: string }) {
  const route = createRoute({
    method: "post",
    path: `/v1/automation/templates/{key}/${on ? "enable" : "disable"}`,
    tags: ["automation"],
    ...doc,
    ...tenantScopePost,
    request: { headers: IdempotencyHeaders, params: TemplateKeyParam },
    responses: { 200: json(Template, "The template"), ...tenantErrors("idempotency_conflict") },
  });
  const register = (app: App) =>
    app.openapi(
      route,
      async (c) => {
        const { key } = c.req.valid("param");
        const { allowed, template } = await c.var.db.tx((q) => setTemplate(q, key, on));
        if (!allowed || !template) throw new ApiError("forbidden", FORBIDDEN);
        return c.json(template, 200);
      },
      permissionFirst(MAY_MANAGE, FORBIDDEN),
    );
  return { route, register };
}
