// A SCIM User (RFC 7643 §4.1 with the enterprise extension, §4.3) ⇄ a scim_users row. The
// attributes the API acts on are columns (userName, externalId, active, displayName, the email the
// membership shows, the enterprise department); every other attribute the IdP sends is kept as
// sent in `attributes` and returned as sent (passwords are never kept).
import { z } from "zod";
import { toBoolean } from "./booleans.ts";
import { SCHEMAS } from "./constants.ts";
import { ScimError } from "./errors.ts";

const Bool = z.preprocess(toBoolean, z.boolean());
const Email = z.looseObject({
  value: z.string().trim().min(3).max(320),
  type: z.string().max(50).optional(),
  primary: Bool.optional(),
});
const Enterprise = z.looseObject({ department: z.string().trim().max(100).nullish() });

export const UserInput = z.looseObject({
  schemas: z.array(z.string()).optional(),
  userName: z.string().trim().min(1).max(320),
  externalId: z.string().trim().min(1).max(255).nullish(),
  active: Bool.optional(),
  displayName: z.string().trim().max(200).nullish(),
  name: z.looseObject({ formatted: z.string().max(400).nullish(), givenName: z.string().max(200).nullish(), familyName: z.string().max(200).nullish() }).optional(),
  emails: z.array(Email).max(20).optional(),
  [SCHEMAS.enterprise]: Enterprise.optional(),
});
export type UserInput = z.infer<typeof UserInput>;

export interface UserColumns {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  email: string | null;
  department: string | null;
  attributes: Record<string, unknown>;
}

export interface UserRow extends Omit<UserColumns, "email"> {
  id: string;
  userId: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  /** updated_at exactly as Postgres holds it (microseconds): PATCH writes only if it is unchanged. */
  version: string;
}

/** Validates a User body (POST, PUT, or the result of a PATCH). */
export function parseUser(body: unknown): UserInput {
  const r = UserInput.safeParse(body);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    throw new ScimError(400, "invalidValue", detail);
  }
  return r.data;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address the person signs in with: the work email, else the primary, else the first, else userName. */
export function signInEmail(u: UserInput): string {
  const emails = u.emails ?? [];
  const pick = emails.find((e) => e.type?.toLowerCase() === "work") ?? emails.find((e) => e.primary === true) ?? emails[0];
  const email = (pick?.value ?? u.userName).trim().toLowerCase();
  if (!EMAIL.test(email)) throw new ScimError(400, "invalidValue", "the user needs an email address (emails, or a userName that is one)");
  return email;
}

const COLUMNS = new Set(["schemas", "id", "meta", "username", "externalid", "active", "displayname", "password", "groups"]);

export function toColumns(u: UserInput): UserColumns {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(u)) if (!COLUMNS.has(k.toLowerCase()) && v !== undefined) attributes[k] = v;
  const n = u.name;
  const composed = [n?.givenName, n?.familyName].filter(Boolean).join(" ");
  return {
    userName: u.userName,
    externalId: u.externalId ?? null,
    active: u.active ?? true,
    displayName: u.displayName || n?.formatted || composed || null,
    email: signInEmail(u),
    department: u[SCHEMAS.enterprise]?.department || null,
    attributes,
  };
}

export function renderUser(row: UserRow, base: string): Record<string, unknown> {
  const extension = row.attributes[SCHEMAS.enterprise] !== undefined;
  return {
    schemas: extension ? [SCHEMAS.user, SCHEMAS.enterprise] : [SCHEMAS.user],
    id: row.id,
    ...(row.externalId !== null ? { externalId: row.externalId } : {}),
    userName: row.userName,
    ...(row.displayName !== null ? { displayName: row.displayName } : {}),
    active: row.active,
    ...row.attributes,
    meta: { resourceType: "User", created: row.createdAt, lastModified: row.updatedAt, location: `${base}/Users/${row.id}`, version: `W/"${Date.parse(row.updatedAt)}"` },
  };
}

/** The columns every users query returns, as UserRow. */
export const USER_SELECT = `u.id, u.user_id as "userId", u.user_name as "userName", u.external_id as "externalId", u.active,
  u.display_name as "displayName", u.email, u.department, u.attributes, u.created_at as "createdAt", u.updated_at as "updatedAt", u.updated_at::text as version`;
