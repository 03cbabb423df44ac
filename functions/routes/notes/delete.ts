import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { softDeleteNote } from "./queries.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/notes/{id}",
  tags: ["notes"],
  summary: "Soft-delete a note (its author only)",
  description: "The note disappears for its author, its department and the customer it was shared with.",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => softDeleteNote(q, id));
    assertVisible(result, `note ${id}`);
    if (!result.deleted) throw new ApiError("forbidden", "only the author deletes a note");
    return c.body(null, 204);
  });
