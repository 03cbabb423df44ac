import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";

export const Department = z
  .object({
    id: Uuid,
    name: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Department");

export const DepartmentPage = pageOf(Department, "DepartmentPage");

export const DepartmentListQuery = PageQuery;

const DepartmentName = z.string().trim().min(1).max(100).openapi({ description: "Unique within the business", example: "Front desk" });

export const DepartmentCreate = z.strictObject({ name: DepartmentName }).openapi("DepartmentCreate");

export const DepartmentPatch = z.strictObject({ name: DepartmentName }).openapi("DepartmentPatch");
