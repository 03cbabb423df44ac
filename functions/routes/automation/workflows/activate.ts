import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { IdempotencyHeaders, json, tenantErrors, tenantScopePost } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { syncSchedule } from "../../../lib/workflows/schedules.ts";
import { setActive } from "./queries.ts";
import { Workflow, WorkflowIdParam } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/automation/workflows/{id}/activate",
  tags: ["automation"],
  summary: "Activate a workflow: its trigger starts executions (automation.manage)",
  description: "A scheduled workflow gets its QStash schedule (id wf:{id}, cron in its time zone); an event workflow starts on its event type; a webhook workflow accepts POST /hooks/workflows/{id}. Activating an active workflow changes nothing.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, params: WorkflowIdParam },
  responses: { 200: json(Workflow, "The workflow"), ...tenantErrors("not_found", "idempotency_conflict", "unavailable") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { allowed, row } = await c.var.db.tx((q) => setActive(q, id, true));
    if (!allowed) throw new ApiError("forbidden", "workflows are managed by members with automation.manage");
    if (!row) throw new ApiError("not_found", `workflow ${id}`);
    await syncSchedule(c.var.env, c.var.tenantId, row);
    return c.json(row, 200);
  });
