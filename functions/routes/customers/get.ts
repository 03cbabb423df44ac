import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../../../shared/schemas/common.ts";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectCustomer } from "./queries.ts";
import { Customer } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/customers/{id}",
  tags: ["customers"],
  summary: "One customer the caller may see (staff)",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 200: json(Customer, "The customer"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const customer = await c.var.db.tx((q) => selectCustomer(q, id));
    if (!customer) throw new ApiError("not_found", `customer ${id}`);
    return c.json(customer, 200);
  });
