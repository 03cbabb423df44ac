import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { decodeCursor, PageQuery, paginate } from "../../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { listExecutions } from "./queries.ts";
import { ExecutionPage, WorkflowIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/workflows/{id}/executions",
  tags: ["automation"],
  summary: "A workflow's executions, newest first (automation.read)",
  ...tenantScope,
  request: { params: WorkflowIdParam, query: PageQuery },
  responses: { 200: json(ExecutionPage, "A page of executions"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const { allowed, found, rows } = await c.var.db.tx((q) => listExecutions(q, id, { limit, after }));
    if (!allowed) throw new ApiError("forbidden", "workflows are for members with automation.read");
    if (!found) throw new ApiError("not_found", `workflow ${id}`);
    return c.json(paginate(rows, limit), 200);
  });
