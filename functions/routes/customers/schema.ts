import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";

export const Customer = z
  .object({
    id: Uuid,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    departmentId: Uuid.nullable(),
    department: z.string().nullable().openapi({ description: "The department's name" }),
    assignedTo: Uuid.nullable().openapi({ description: "The staff member responsible for this customer" }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Customer");

export const CustomerPage = pageOf(Customer, "CustomerPage");

export const CustomerListQuery = PageQuery.extend({
  q: z.string().max(100).optional().openapi({ description: "Finds customers whose name or email contains this text (any case)" }),
});

const Name = z.string().trim().min(1).max(200).openapi({ example: "Dora Dent" });
const Email = z.email().max(320).openapi({ example: "dora@example.com" });
const Phone = z.string().trim().min(1).max(50).openapi({ example: "+49 30 1234567" });

export const CustomerCreate = z
  .strictObject({
    name: Name,
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    departmentId: Uuid.nullable().optional(),
    assignedTo: Uuid.nullable().optional().openapi({ description: "A member of this business" }),
  })
  .openapi("CustomerCreate");

export const CustomerPatch = z
  .strictObject({
    name: Name.optional(),
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    departmentId: Uuid.nullable().optional(),
    assignedTo: Uuid.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one of name, email, phone, departmentId, assignedTo" })
  .openapi("CustomerPatch");
