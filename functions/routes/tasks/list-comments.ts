import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../../../shared/schemas/common.ts";
import { decodeCursor, PageQuery, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { listComments } from "./queries.ts";
import { TaskCommentPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/tasks/{id}/comments",
  tags: ["tasks"],
  summary: "Comments on a task, oldest first",
  ...tenantScope,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(TaskCommentPage, "A page of comments"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const [task, rows] = await c.var.db.tx((q) => listComments(q, id, { limit, after }));
    assertVisible(task, `task ${id}`);
    return c.json(paginate(rows, limit), 200);
  });
