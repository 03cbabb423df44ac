import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { getExecution } from "./queries.ts";
import { ExecutionDetail, ExecutionIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/workflows/{id}/executions/{executionId}",
  tags: ["automation"],
  summary: "One execution with its step log (automation.read)",
  ...tenantScope,
  request: { params: ExecutionIdParam },
  responses: { 200: json(ExecutionDetail, "The execution and its steps in order"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id, executionId } = c.req.valid("param");
    const { allowed, row, steps } = await c.var.db.tx((q) => getExecution(q, id, executionId));
    if (!allowed) throw new ApiError("forbidden", "workflows are for members with automation.read");
    if (!row) throw new ApiError("not_found", `execution ${executionId}`);
    return c.json({ ...row, steps }, 200);
  });
