import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { getTask } from "./queries.ts";
import { Task } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/tasks/{id}",
  tags: ["tasks"],
  summary: "One task",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 200: json(Task, "The task"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const task = await c.var.db.tx((q) => getTask(q, id));
    if (!task) throw new ApiError("not_found", `task ${id}`);
    return c.json(task, 200);
  });
