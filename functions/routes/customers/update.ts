import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../../../shared/schemas/common.ts";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { updateCustomer } from "./queries.ts";
import { Customer, CustomerPatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/customers/{id}",
  tags: ["customers"],
  summary: "Change a customer (customers.write: managers, admins, owners)",
  description: "null clears email, phone, departmentId or assignedTo.",
  ...tenantScope,
  request: { params: IdParam, body: jsonBody(CustomerPatch) },
  responses: {
    200: json(Customer, "The customer after the change"),
    ...tenantErrors("forbidden", "not_found", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => updateCustomer(q, id, c.req.valid("json")));
    assertVisible(result, `customer ${id}`);
    const { visible: _, ...customer } = result;
    if (customer.id === null) throw new ApiError("forbidden", "only holders of customers.write change customers");
    return c.json(customer, 200);
  });
