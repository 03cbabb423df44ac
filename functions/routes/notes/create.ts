import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createNote } from "./queries.ts";
import { Note, NoteCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/notes",
  tags: ["notes"],
  summary: "Write a note (notes.write_own)",
  description:
    "`shareWithDepartment` shares it with the author's own department; `customerId` must be a customer the author can see, and `shareWithCustomer` shows the note in that customer's portal.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(NoteCreate) },
  responses: {
    201: json(Note, "The new note"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const noDepartment = () =>
  new ApiError("bad_request", "you belong to no department to share with", {
    fieldErrors: [{ path: "body.shareWithDepartment", message: "the author belongs to no department" }],
  });

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const result = await c.var.db.tx((q) => createNote(q, crypto.randomUUID(), c.req.valid("json")));
    const { hasDepartment, ...note } = result!;
    if (note.id === null) {
      if (!hasDepartment) throw noDepartment();
      throw new ApiError("forbidden", "you may not write notes");
    }
    return c.json(note, 201);
  });
