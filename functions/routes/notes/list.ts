import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, PageQuery, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listNotes } from "./queries.ts";
import { NotePage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/notes",
  tags: ["notes"],
  summary: "The caller's notes and, with notes.read_team, those shared with their department",
  description: "Oldest first. Deleted notes and other departments' notes never appear.",
  ...tenantScope,
  request: { query: PageQuery },
  responses: { 200: json(NotePage, "A page of notes"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listNotes(q, { limit, after }));
    return c.json(paginate(rows, limit), 200);
  });
