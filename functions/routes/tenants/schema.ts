import { z } from "@hono/zod-openapi";
import { MemberRole, Slug, Timestamp, Uuid } from "../../../shared/schemas/common.ts";

export const TenantCreate = z
  .strictObject({ slug: Slug, name: z.string().trim().min(1).max(200).openapi({ example: "Acme Dental" }) })
  .openapi("TenantCreate");

export const Tenant = z
  .object({
    id: Uuid,
    slug: Slug,
    name: z.string(),
    plan: z.enum(["free", "pro", "enterprise"]),
    status: z.enum(["active", "suspended"]),
    primaryHost: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi("Tenant");

export const SignedUpTenant = z
  .object({ tenant: Tenant, role: MemberRole, tokenRefreshRequired: z.boolean() })
  .openapi("SignedUpTenant");
