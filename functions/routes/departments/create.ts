import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createDepartment } from "./queries.ts";
import { Department, DepartmentCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/departments",
  tags: ["departments"],
  summary: "Create a department (departments.manage: owner/admin)",
  description: "Names are unique within the business: a taken name is 409.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(DepartmentCreate) },
  responses: {
    201: json(Department, "The new department"),
    ...tenantErrors("forbidden", "conflict", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { name } = c.req.valid("json");
    const department = await c.var.db.tx((q) => createDepartment(q, name));
    return c.json(department!, 201);
  });
