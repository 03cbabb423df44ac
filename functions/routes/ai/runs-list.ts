import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { decodeCursor, paginate, PageQuery } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may, MAY_READ_AI, READ_FORBIDDEN, selectWorker } from "./queries.ts";
import { listRuns } from "./run-queries.ts";
import { AiRunPage, WorkerIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/workers/{id}/runs",
  tags: ["ai"],
  summary: "An AI worker's runs (ai.read)",
  ...tenantScope,
  request: { params: WorkerIdParam, query: PageQuery },
  responses: { 200: json(AiRunPage, "A page of runs, oldest first"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const [allowed, worker, rows] = await c.var.db.tx((q) => Promise.all([may(q, MAY_READ_AI), selectWorker(q, id), listRuns(q, id, { limit, after })]));
    if (!allowed?.allowed) throw new ApiError("forbidden", READ_FORBIDDEN);
    if (!worker) throw new ApiError("not_found", `no AI worker ${id}`);
    return c.json(paginate(rows, limit), 200);
  });
