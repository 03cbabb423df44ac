import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listCustomers } from "./queries.ts";
import { CustomerListQuery, CustomerPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/customers",
  tags: ["customers"],
  summary: "Customers the caller may see, by name; search by name or email (staff)",
  description:
    "Employees see the customers assigned to them or in their department; managers, admins and owners (customers.read_all) see all.",
  ...tenantScope,
  request: { query: CustomerListQuery },
  responses: { 200: json(CustomerPage, "A page of customers, by name"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, q: text } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const search = text?.trim() || undefined;
    const rows = await c.var.db.tx((q) => listCustomers(q, { limit, after, search }));
    return c.json(paginate(rows, limit), 200);
  });
