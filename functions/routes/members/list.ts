import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, memberScope, tenantErrors } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listMembers } from "./queries.ts";
import { MemberListQuery, MemberPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/members",
  tags: ["members"],
  summary: "Members of the active tenant (staff only; a customer sees only themselves)",
  ...memberScope,
  request: { query: MemberListQuery },
  responses: { 200: json(MemberPage, "A page of members, oldest first"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, role, active } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listMembers(q, { limit, after, role, active }));
    return c.json(paginate(rows, limit), 200);
  });
