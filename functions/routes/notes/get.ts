import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { getNote } from "./queries.ts";
import { Note } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/notes/{id}",
  tags: ["notes"],
  summary: "One note the caller may read",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 200: json(Note, "The note"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const note = await c.var.db.tx((q) => getNote(q, id));
    if (!note) throw new ApiError("not_found", `note ${id}`);
    return c.json(note, 200);
  });
