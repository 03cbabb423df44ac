import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../../../shared/schemas/common.ts";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { renameDepartment } from "./queries.ts";
import { Department, DepartmentPatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/departments/{id}",
  tags: ["departments"],
  summary: "Rename a department (departments.manage: owner/admin)",
  ...tenantScope,
  request: { params: IdParam, body: jsonBody(DepartmentPatch) },
  responses: {
    200: json(Department, "The renamed department"),
    ...tenantErrors("forbidden", "not_found", "conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.var.db.tx((q) => renameDepartment(q, id, c.req.valid("json").name));
    assertVisible(result, `department ${id}`);
    const { visible: _, ...department } = result;
    if (department.id === null) throw new ApiError("forbidden", "only holders of departments.manage rename departments");
    return c.json(department, 200);
  });
