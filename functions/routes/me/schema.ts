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
    activeTenant: TenantSummary.nullable().openapi({ description: "The tenant chosen in settings, if the membership there is active." }),
    tokenTenantId: Uuid.nullable().openapi({ description: "The tenant the presented token names; differs from activeTenant until the token is refreshed." }),
    permissions: z.array(Permission).openapi({ description: "Effective permissions in the token's tenant: role defaults plus grants, minus revocations." }),
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
