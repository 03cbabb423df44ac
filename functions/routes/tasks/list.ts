import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listTasks } from "./queries.ts";
import { TaskListQuery, TaskPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/tasks",
  tags: ["tasks"],
  summary: "Tasks the caller may see, oldest first",
  description:
    "Employees see the tasks assigned to them or created by them; tasks.read_all sees every task. Soft-deleted tasks never appear.",
  ...tenantScope,
  request: { query: TaskListQuery },
  responses: { 200: json(TaskPage, "A page of tasks"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, assigned_to, status, due_before, due_after } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) =>
      listTasks(q, { assignedTo: assigned_to, status, dueBefore: due_before, dueAfter: due_after }, { limit, after }),
    );
    return c.json(paginate(rows, limit), 200);
  });
