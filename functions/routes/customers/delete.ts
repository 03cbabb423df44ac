import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../../../shared/schemas/common.ts";
import { ApiError } from "../../../shared/errors.ts";
import { tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { deleteCustomer } from "./queries.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/customers/{id}",
  tags: ["customers"],
  summary: "Delete a customer (customers.delete: owners and admins)",
  description: "A customer user linked to the record stays a member, no longer linked.",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...tenantErrors("forbidden", "not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => deleteCustomer(q, id));
    assertVisible(result, `customer ${id}`);
    if (!result.deleted) throw new ApiError("forbidden", "only holders of customers.delete delete customers");
    return c.body(null, 204);
  });
