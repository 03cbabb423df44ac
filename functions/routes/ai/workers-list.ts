import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listWorkers, may, MAY_READ_AI, READ_FORBIDDEN } from "./queries.ts";
import { AiWorkerListQuery, AiWorkerPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/workers",
  tags: ["ai"],
  summary: "The business's AI workers (ai.read)",
  ...tenantScope,
  request: { query: AiWorkerListQuery },
  responses: { 200: json(AiWorkerPage, "A page of workers, oldest first"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, status } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const [allowed, rows] = await c.var.db.tx((q) => Promise.all([may(q, MAY_READ_AI), listWorkers(q, { limit, after, status })]));
    if (!allowed?.allowed) throw new ApiError("forbidden", READ_FORBIDDEN);
    return c.json(paginate(rows, limit), 200);
  });
