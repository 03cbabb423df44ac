import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { createComment } from "./queries.ts";
import { TaskComment, TaskCommentCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/tasks/{id}/comments",
  tags: ["tasks"],
  summary: "Comment on a task the caller can see",
  ...tenantScopePost,
  request: { params: IdParam, headers: IdempotencyHeaders, body: jsonBody(TaskCommentCreate) },
  responses: {
    201: json(TaskComment, "The new comment"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => createComment(q, id, c.req.valid("json").body));
    assertVisible(result, `task ${id}`);
    const { visible: _, ...comment } = result;
    if (comment.id === null) throw new ApiError("forbidden", "you may not comment on this task");
    return c.json(comment, 201);
  });
