import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { getWorkflow } from "./queries.ts";
import { Workflow, WorkflowIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/workflows/{id}",
  tags: ["automation"],
  summary: "One workflow with its current version (automation.read)",
  ...tenantScope,
  request: { params: WorkflowIdParam },
  responses: { 200: json(Workflow, "The workflow"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { allowed, row } = await c.var.db.tx((q) => getWorkflow(q, id));
    if (!allowed) throw new ApiError("forbidden", "workflows are for members with automation.read");
    if (!row) throw new ApiError("not_found", `workflow ${id}`);
    return c.json(row, 200);
  });
