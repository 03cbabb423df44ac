import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { updateTask } from "./queries.ts";
import { Task, TaskPatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/tasks/{id}",
  tags: ["tasks"],
  summary: "Change a task (the assignee: status only; tasks.manage: every field)",
  ...tenantScope,
  request: { params: IdParam, body: jsonBody(TaskPatch) },
  responses: {
    200: json(Task, "The task after the change"),
    ...tenantErrors("not_found", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => updateTask(q, id, c.req.valid("json")));
    assertVisible(result, `task ${id}`);
    const { visible: _, ...task } = result;
    if (task.id === null) throw new ApiError("forbidden", "you may not change this task");
    return c.json(task, 200);
  });
