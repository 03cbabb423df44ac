import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { insertCustomer } from "./queries.ts";
import { Customer, CustomerCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/customers",
  tags: ["customers"],
  summary: "Create a customer (customers.write: managers, admins, owners)",
  description: "departmentId and assignedTo must be a department and a member of this business (else 404).",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(CustomerCreate) },
  responses: {
    201: json(Customer, "The new customer"),
    ...tenantErrors("forbidden", "not_found", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const customer = await c.var.db.tx((q) => insertCustomer(q, c.req.valid("json")));
    return c.json(customer!, 201);
  });
