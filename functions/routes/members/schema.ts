import { z } from "@hono/zod-openapi";
import { MemberRole, Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";

export const Member = z
  .object({
    userId: Uuid,
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    role: MemberRole,
    departmentId: Uuid.nullable(),
    department: z.string().nullable().openapi({ description: "The department's name" }),
    customerId: Uuid.nullable().openapi({ description: "For a customer user: the customer record they are" }),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Member");

export const MemberPage = pageOf(Member, "MemberPage");

export const MemberListQuery = PageQuery.extend({
  role: MemberRole.optional(),
  active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
});

export const MemberPatch = z
  .strictObject({
    role: MemberRole.optional(),
    departmentId: Uuid.nullable().optional(),
    customerId: Uuid.nullable().optional().openapi({ description: "Link a customer user to their customer record" }),
    active: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one of role, departmentId, customerId, active" })
  .openapi("MemberPatch");

export const UserIdParam = z.object({ userId: Uuid.openapi({ param: { name: "userId", in: "path" } }) });
