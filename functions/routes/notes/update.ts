import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { noDepartment } from "./create.ts";
import { updateNote } from "./queries.ts";
import { Note, NotePatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/notes/{id}",
  tags: ["notes"],
  summary: "Edit a note (its author only)",
  ...tenantScope,
  request: { params: IdParam, body: jsonBody(NotePatch) },
  responses: {
    200: json(Note, "The note after the change"),
    ...tenantErrors("not_found", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    const result = await c.var.db.tx((q) => updateNote(q, id, patch));
    assertVisible(result, `note ${id}`);
    const { visible: _, hasDepartment, ...note } = result;
    if (note.id === null) {
      if (patch.shareWithDepartment && !hasDepartment) throw noDepartment();
      throw new ApiError("forbidden", "only the author edits a note");
    }
    return c.json(note, 200);
  });
