import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../../../shared/schemas/common.ts";
import { ApiError } from "../../../shared/errors.ts";
import { tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { deleteDepartment } from "./queries.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/departments/{id}",
  tags: ["departments"],
  summary: "Delete a department (departments.manage: owner/admin)",
  description: "Its members and customers stay; their department becomes null.",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...tenantErrors("forbidden", "not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => deleteDepartment(q, id));
    assertVisible(result, `department ${id}`);
    if (!result.deleted) throw new ApiError("forbidden", "only holders of departments.manage delete departments");
    return c.body(null, 204);
  });
