import { z } from "@hono/zod-openapi";
import { MemberRole, Permission, Uuid } from "../../../shared/schemas/common.ts";

export const PermissionProfile = z
  .object({
    userId: Uuid,
    role: MemberRole,
    defaults: z.array(Permission).openapi({ description: "What the member's role gives" }),
    grants: z.array(Permission).openapi({ description: "Given beyond the role's defaults" }),
    revocations: z.array(Permission).openapi({ description: "Taken away from the role's defaults" }),
    effective: z.array(Permission).openapi({
      description: "What the member may do now: defaults plus grants, minus revocations (staff permissions never apply to customer users)",
    }),
  })
  .openapi("PermissionProfile");

export const MemberParam = z.object({ userId: Uuid.openapi({ param: { name: "userId", in: "path" } }) });

export const MemberPermissionParams = MemberParam.extend({
  permission: Permission.openapi({ param: { name: "permission", in: "path" }, example: "customers.read_all" }),
});

export const PermissionOverride = z
  .strictObject({
    effect: z.enum(["grant", "revoke"]).openapi({ description: "grant: beyond the role's defaults; revoke: take away a default" }),
  })
  .openapi("PermissionOverride");
