// Field schemas used across resources. Types flow from these (z.infer), and so does OpenAPI.
import { z } from "@hono/zod-openapi";

export const Uuid = z.uuid().openapi({ example: "10000000-0000-4000-8000-000000000001" });
export const Timestamp = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 timestamp with a UTC offset, e.g. 2030-01-08T09:00:00Z or 2030-01-08T10:00:00+01:00 (one without an offset is ambiguous)" })
  .openapi({ example: "2026-11-23T09:30:00.000Z" });

const IANA_SHAPE = /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/;

/** True for IANA zone names (Europe/Berlin, UTC); false for abbreviations and POSIX offsets. */
export function isIanaTimeZone(tz: string): boolean {
  if (!IANA_SHAPE.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const IanaTimeZone = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" })
  .openapi({ example: "Europe/Berlin" });

export const Locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, "must be a BCP 47 language tag such as de-DE")
  .openapi({ example: "de-DE" });

export const MemberRole = z.enum(["owner", "admin", "manager", "employee", "customer"]).openapi("MemberRole");

/** Mirrors the app_permission enum in the migrations (a test checks they agree). */
export const PERMISSIONS = [
  "calendar.read",
  "appointments.write_own", "appointments.read_all", "appointments.manage",
  "tasks.write_assigned", "tasks.read_all", "tasks.manage", "tasks.delete",
  "notes.write_own", "notes.read_team",
  "customers.read_assigned", "customers.read_all", "customers.write", "customers.delete",
  "time.create",
  "members.manage", "departments.manage", "permissions.manage", "audit.read",
  "portal.access",
  "automation.read", "automation.manage", "webhooks.manage",
  "ai.read", "ai.manage", "ai.approve",
] as const;
export const Permission = z.enum(PERMISSIONS).openapi("Permission");

export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "3-63 lowercase letters, digits and hyphens")
  .openapi({ example: "acme" });

export const IdParam = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
