import { z } from "@hono/zod-openapi";
import { IanaTimeZone, Locale, MemberRole, Permission, Slug, Uuid } from "../../../shared/schemas/common.ts";

export const Settings = z
  .object({ timezone: IanaTimeZone, locale: Locale, activeTenantId: Uuid.nullable() })
  .openapi("Settings");

export const TenantSummary = z
  .object({
    id: Uuid,
    slug: Slug,
    name: z.string(),
    role: MemberRole,
    departmentId: Uuid.nullable(),
    department: z.string().nullable().openapi({ description: "The department's name" }),
  })
  .openapi("TenantSummary");

export const Me = z
  .object({
    user: z.object({ id: Uuid, email: z.string().nullable() }),
    tenant: TenantSummary.nullable().openapi({
      description: "The tenant this access token acts in (its tenant_id claim), with your role there; null when the token names none or your membership there ended.",
    }),
    permissions: z.array(Permission).openapi({ description: "Your effective permissions in `tenant`: role defaults plus grants, minus revocations." }),
    nextTenant: TenantSummary.nullable().openapi({
      description: "The tenant chosen with POST /v1/me/active-tenant when it is not the token's: the next token (after a refresh) acts there.",
    }),
    settings: Settings,
  })
  .openapi("Me");

export const SettingsPatch = z
  .strictObject({ timezone: IanaTimeZone.optional(), locale: Locale.optional() })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one of timezone, locale" })
  .openapi("SettingsPatch");

export const MyTenant = TenantSummary.extend({ active: z.boolean() }).openapi("MyTenant");
export const MyTenantList = z.object({ data: z.array(MyTenant) }).openapi("MyTenantList");

export const ActiveTenantRequest = z.strictObject({ tenantId: Uuid }).openapi("ActiveTenantRequest");
export const ActiveTenant = z
  .object({
    activeTenant: TenantSummary,
    tokenRefreshRequired: z.boolean().openapi({ description: "Refresh the session so the access token names the new tenant." }),
  })
  .openapi("ActiveTenant");
