import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, PageQuery, paginate } from "../../../shared/schemas/pagination.ts";
import { json, portalScope, tenantErrors } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listPortalTasks } from "./queries.ts";
import { PortalTaskPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/portal/tasks",
  tags: ["portal"],
  summary: "Tasks assigned to the customer, oldest first (customers only)",
  ...portalScope,
  request: { query: PageQuery },
  responses: { 200: json(PortalTaskPage, "A page of tasks"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listPortalTasks(q, { limit, after }));
    return c.json(paginate(rows, limit), 200);
  });
