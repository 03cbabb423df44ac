import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { createWorkflow, MAY_MANAGE } from "./queries.ts";
import { Workflow, WorkflowCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/workflows",
  tags: ["automation"],
  summary: "Create a workflow (automation.manage)",
  description: "A trigger and ordered typed actions; version 1, inactive until activated. A business keeps at most its plan's number of workflows (409 plan_limit_reached); a scheduled trigger runs at most every 15 minutes.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(WorkflowCreate) },
  responses: {
    201: json(Workflow, "The workflow (inactive)"),
    ...tenantErrors("conflict", "plan_limit_reached", "idempotency_conflict", "unsupported_media_type", "rate_limited"),
  },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const workflow = await c.var.db.tx((q) => createWorkflow(q, crypto.randomUUID(), c.req.valid("json")));
      if (!workflow) throw new ApiError("internal", "the workflow was not written");
      return c.json(workflow, 201);
    },
    permissionFirst(MAY_MANAGE, "workflows are managed by members with automation.manage"),
  );
