import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { WORKER_KINDS, WORKER_KIND_NAMES, type WorkerKind } from "../../lib/ai/contracts/index.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MANAGE_FORBIDDEN, may, MAY_MANAGE_AI, updateWorker } from "./queries.ts";
import { AiWorker, AiWorkerPatch, WorkerIdParam } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/ai/workers/{id}",
  tags: ["ai"],
  summary: "Rename or reconfigure an AI worker, or set its own execution policy (ai.manage)",
  description:
    "A new config (validated against the kind's config schema) bumps configVersion; a new executionPolicy (null: follow the business's) bumps policyVersion, which voids approvals pending under the old one. A retired worker cannot change (409).",
  ...tenantScope,
  request: { params: WorkerIdParam, body: jsonBody(AiWorkerPatch) },
  responses: { 200: json(AiWorker, "The worker"), ...tenantErrors("not_found", "conflict", "unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      // The config's schema is the stored kind's: validated for every kind here, chosen in SQL,
      // so the request stays one statement (and one round trip).
      const checked = patch.config === undefined ? undefined : WORKER_KIND_NAMES.map((k) => [k, WORKER_KINDS[k].config.safeParse(patch.config)] as const);
      const configs = checked && Object.fromEntries(checked.filter(([, r]) => r.success).map(([k, r]) => [k, r.data]));
      const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q, MAY_MANAGE_AI), updateWorker(q, id, { name: patch.name, configs, executionPolicy: patch.executionPolicy })]));
      if (!allowed?.allowed) throw new ApiError("forbidden", MANAGE_FORBIDDEN);
      if (!row?.targetKind) throw new ApiError("not_found", `no AI worker ${id}`);
      if (row.targetStatus === "retired") throw new ApiError("conflict", "a retired worker cannot change");
      const { targetKind, targetStatus: _, ...worker } = row;
      if (worker.id === null) {
        const issues = checked?.find(([k]) => k === (targetKind as WorkerKind))?.[1].error?.issues ?? [];
        const fieldErrors = issues.map((i) => ({ path: ["body", "config", ...i.path.map(String)].join("."), message: i.message }));
        throw new ApiError("bad_request", "the config does not match the worker kind's config schema", { fieldErrors });
      }
      return c.json(worker, 200);
    },
    permissionFirst(MAY_MANAGE_AI, MANAGE_FORBIDDEN),
  );
