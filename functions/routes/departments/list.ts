import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listDepartments } from "./queries.ts";
import { DepartmentListQuery, DepartmentPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/departments",
  tags: ["departments"],
  summary: "Departments of the active tenant (staff)",
  ...tenantScope,
  request: { query: DepartmentListQuery },
  responses: { 200: json(DepartmentPage, "A page of departments, by name"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listDepartments(q, { limit, after }));
    return c.json(paginate(rows, limit), 200);
  });
