import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { softDeleteTask } from "./queries.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/tasks/{id}",
  tags: ["tasks"],
  summary: "Soft-delete a task (tasks.delete: owners and admins)",
  description: "The task disappears from every list and read; its comments and time logs with it.",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => softDeleteTask(q, id));
    assertVisible(result, `task ${id}`);
    if (!result.deleted) throw new ApiError("forbidden", "only owners and admins delete tasks");
    return c.body(null, 204);
  });
