import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may, MAY_READ_AI, READ_FORBIDDEN, selectWorker } from "./queries.ts";
import { AiWorker, WorkerIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/workers/{id}",
  tags: ["ai"],
  summary: "One AI worker (ai.read)",
  ...tenantScope,
  request: { params: WorkerIdParam },
  responses: { 200: json(AiWorker, "The worker"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q, MAY_READ_AI), selectWorker(q, id)]));
    if (!allowed?.allowed) throw new ApiError("forbidden", READ_FORBIDDEN);
    if (!row) throw new ApiError("not_found", `no AI worker ${id}`);
    return c.json(row, 200);
  });
