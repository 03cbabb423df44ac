import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import { refuseOverTaskRunQuota } from "../../../lib/workflows/quota.ts";
import type { App } from "../../../types.ts";
import { MAY_MANAGE, runWorkflow } from "./queries.ts";
import { Execution, WorkflowIdParam, WorkflowRun } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/workflows/{id}/run",
  tags: ["automation"],
  summary: "Run a workflow now (automation.manage)",
  description:
    "Starts an execution of the current version, active or not; its steps run through QStash, each once, resuming from a failed step. Send an Idempotency-Key to make a retried request the same run. Each execution is a task run: over the plan's monthly task_runs quota, 429 quota_exceeded (Retry-After: the month's end) and nothing starts.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, params: WorkflowIdParam, body: jsonBody(WorkflowRun) },
  responses: { 202: json(Execution, "The queued execution"), ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type", "rate_limited", "quota_exceeded") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      await refuseOverTaskRunQuota(c);
      const execution = await c.var.db.tx((q) => runWorkflow(q, id, crypto.randomUUID(), c.req.valid("json").payload ?? {}));
      if (!execution) throw new ApiError("not_found", `workflow ${id}`);
      return c.json(execution, 202);
    },
    permissionFirst(MAY_MANAGE, "workflows are run by members with automation.manage"),
  );
