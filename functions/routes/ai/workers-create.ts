import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { WORKER_KINDS } from "../../lib/ai/contracts/index.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { insertWorker, MANAGE_FORBIDDEN, may, MAY_MANAGE_AI } from "./queries.ts";
import { AiWorker, AiWorkerCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/ai/workers",
  tags: ["ai"],
  summary: "Provision an AI worker (ai.manage)",
  description:
    "The worker belongs to the business, not to the person who provisions it. It starts `provisioned` (activate it with POST /v1/ai/workers/{id}/status). `config` is validated against the kind's config schema (defaults filled in); `version` must be a contract version the code runs. A name in use by a worker that is not retired is 409.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(AiWorkerCreate) },
  responses: { 201: json(AiWorker, "The new worker"), ...tenantErrors("conflict", "idempotency_conflict", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const body = c.req.valid("json");
      const contract = WORKER_KINDS[body.kind];
      const config = contract.config.parse(body.config ?? {});
      const [allowed, row] = await c.var.db.tx((q) =>
        Promise.all([
          may(q, MAY_MANAGE_AI),
          insertWorker(q, { kind: body.kind, contractVersion: contract.version, name: body.name, config, executionPolicy: body.executionPolicy ?? null }),
        ]),
      );
      if (!allowed?.allowed || !row) throw new ApiError("forbidden", MANAGE_FORBIDDEN);
      return c.json(row, 201);
    },
    permissionFirst(MAY_MANAGE_AI, MANAGE_FORBIDDEN),
  );
