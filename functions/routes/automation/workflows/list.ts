import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { decodeCursor, paginate } from "../../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { listWorkflows } from "./queries.ts";
import { WorkflowListQuery, WorkflowPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/workflows",
  tags: ["automation"],
  summary: "Workflows of the business, oldest first (automation.read)",
  ...tenantScope,
  request: { query: WorkflowListQuery },
  responses: { 200: json(WorkflowPage, "A page of workflows"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const { allowed, rows } = await c.var.db.tx((q) => listWorkflows(q, { limit, after }));
    if (!allowed) throw new ApiError("forbidden", "workflows are for members with automation.read");
    return c.json(paginate(rows, limit), 200);
  });
