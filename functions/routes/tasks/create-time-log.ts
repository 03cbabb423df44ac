import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { createTimeLog } from "./queries.ts";
import { TimeLog, TimeLogCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/tasks/{id}/time-logs",
  tags: ["tasks"],
  summary: "Log time on a task the caller can see (time.create)",
  ...tenantScopePost,
  request: { params: IdParam, headers: IdempotencyHeaders, body: jsonBody(TimeLogCreate) },
  responses: {
    201: json(TimeLog, "The new time log"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => createTimeLog(q, id, c.req.valid("json")));
    assertVisible(result, `task ${id}`);
    const { visible: _, ...log } = result;
    if (log.id === null) throw new ApiError("forbidden", "you may not log time on this task");
    return c.json(log, 201);
  });
