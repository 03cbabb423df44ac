import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { WORKER_KIND_NAMES } from "../../lib/ai/contracts/index.ts";
import { checkTaskInput } from "../../lib/ai/contracts/validate.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MANAGE_FORBIDDEN, may, MAY_MANAGE_AI } from "./queries.ts";
import { selectRunBySource, startRun } from "./run-queries.ts";
import { AiRun, AiRunCreate, WorkerIdParam } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/ai/workers/{id}/runs",
  tags: ["ai"],
  summary: "Run a task of an active AI worker (ai.manage)",
  description:
    "The input is validated against the task's contract (422 unknown_task / invalid_task_input, with the failing fields); the worker must be active (409 worker_not_active). The run is queued through QStash (dedupe id run:{id}) and executes as durable steps: model call → validated tool calls → … → the output, validated against the task's output schema. Follow it with GET /v1/ai/runs/{id}.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, params: WorkerIdParam, body: jsonBody(AiRunCreate) },
  responses: {
    202: json(AiRun, "The queued run"),
    ...tenantErrors("not_found", "unknown_task", "invalid_task_input", "worker_not_active", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const { task, input } = c.req.valid("json");
      // Checked for every kind (the worker's is chosen in SQL), so the request is one statement.
      const checked = WORKER_KIND_NAMES.map((k) => [k, checkTaskInput(k, task, input)] as const);
      const inputs = Object.fromEntries(checked.flatMap(([k, r]) => (r.ok ? [[k, r.value]] : [])));
      const sourceKey = `api:${crypto.randomUUID()}`;
      const [allowed, started, run] = await c.var.db.tx((q) =>
        Promise.all([may(q, MAY_MANAGE_AI), startRun(q, { workerId: id, task, inputs, sourceKey }), selectRunBySource(q, sourceKey)]),
      );
      if (!allowed?.allowed) throw new ApiError("forbidden", MANAGE_FORBIDDEN);
      if (!started) throw new ApiError("not_found", `no AI worker ${id}`);
      if (!started.run_id || !run) {
        const violation = checked.find(([k]) => k === started.kind)?.[1];
        if (violation && !violation.ok) {
          const v = violation.violation;
          if (v.code === "unknown_task") throw new ApiError("unknown_task", `a ${started.kind} worker has no task ${task}`);
          throw new ApiError("invalid_task_input", v.message, { fieldErrors: (v.paths ?? []).map((p) => ({ path: ["body", "input", p].filter(Boolean).join("."), message: "does not match the task's input schema" })) });
        }
        throw new ApiError("worker_not_active", `the worker is ${started.status}; activate it first (POST /v1/ai/workers/${id}/status)`);
      }
      return c.json(run, 202);
    },
    permissionFirst(MAY_MANAGE_AI, MANAGE_FORBIDDEN),
  );
