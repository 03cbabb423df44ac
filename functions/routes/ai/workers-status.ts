import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MANAGE_FORBIDDEN, may, MAY_MANAGE_AI, selectWorker, transition } from "./queries.ts";
import { AiWorker, AiWorkerStatusChange, WorkerIdParam } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/ai/workers/{id}/status",
  tags: ["ai"],
  summary: "Change an AI worker's lifecycle status (ai.manage)",
  description:
    "provisioned → active ⇄ paused → retired; a failed worker can be activated again or retired. Every change is an event (GET /v1/ai/workers/{id}/events) and an audit row, written together. Any other change is 409 illegal_transition and writes nothing; `failed` is set by the runtime only.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, params: WorkerIdParam, body: jsonBody(AiWorkerStatusChange) },
  responses: { 200: json(AiWorker, "The worker after the change"), ...tenantErrors("not_found", "illegal_transition", "idempotency_conflict", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const { status, reason } = c.req.valid("json");
      const [allowed, changed, row] = await c.var.db.tx((q) =>
        Promise.all([may(q, MAY_MANAGE_AI), transition(q, id, status, reason ?? null), selectWorker(q, id)]),
      );
      if (!allowed?.allowed) throw new ApiError("forbidden", MANAGE_FORBIDDEN);
      if (!changed || !row) throw new ApiError("not_found", `no AI worker ${id}`);
      if (!changed.changed) throw new ApiError("illegal_transition", `a ${changed.from_status} worker cannot become ${status}`);
      return c.json(row, 200);
    },
    permissionFirst(MAY_MANAGE_AI, MANAGE_FORBIDDEN),
  );
