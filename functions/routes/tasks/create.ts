import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createTask } from "./queries.ts";
import { Task, TaskCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/tasks",
  tags: ["tasks"],
  summary: "Create a task",
  description:
    "tasks.manage assigns anyone; with tasks.write_assigned a member creates tasks assigned to themselves. A customer must be one the caller can see.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(TaskCreate) },
  responses: {
    201: json(Task, "The new task"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const task = await c.var.db.tx((q) => createTask(q, crypto.randomUUID(), c.req.valid("json")));
    return c.json(task!, 201);
  });
