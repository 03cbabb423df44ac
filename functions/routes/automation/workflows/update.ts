import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { syncSchedule } from "../../../lib/workflows/schedules.ts";
import { MAY_MANAGE, updateWorkflow } from "./queries.ts";
import { Workflow, WorkflowIdParam, WorkflowUpdate } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/automation/workflows/{id}",
  tags: ["automation"],
  summary: "Change a workflow: a new version (automation.manage)",
  description:
    "Versions are immutable: the change becomes version n + 1 and current. Running executions finish on the version they started with.",
  ...tenantScope,
  request: { params: WorkflowIdParam, body: jsonBody(WorkflowUpdate) },
  responses: { 200: json(Workflow, "The workflow at its new version"), ...tenantErrors("not_found", "conflict", "unsupported_media_type", "unavailable") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const { allowed, row } = await c.var.db.tx((q) => updateWorkflow(q, id, c.req.valid("json")));
      if (!allowed) throw new ApiError("forbidden", "workflows are managed by members with automation.manage");
      if (!row) throw new ApiError("not_found", `workflow ${id}`);
      const { wasScheduled, ...workflow } = row;
      await syncSchedule(c.var.env, c.var.tenantId, workflow, wasScheduled);
      return c.json(workflow, 200);
    },
    permissionFirst(MAY_MANAGE, "workflows are managed by members with automation.manage"),
  );
