import { z } from "@hono/zod-openapi";
import { MemberRole, Timestamp, Uuid } from "../../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../../shared/schemas/pagination.ts";

export const InvitationStatus = z.enum(["pending", "accepted", "revoked", "expired"]).openapi("InvitationStatus");

export const Invitation = z
  .object({
    id: Uuid,
    email: z.string(),
    role: MemberRole,
    departmentId: Uuid.nullable(),
    customerId: Uuid.nullable(),
    status: InvitationStatus,
    invitedBy: Uuid.nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    emailedAt: Timestamp.nullable().openapi({ description: "When the email went out; null while it is queued (seconds to a minute)" }),
    acceptedAt: Timestamp.nullable(),
    acceptedBy: Uuid.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .openapi("Invitation");

export const InvitationPage = pageOf(Invitation, "InvitationPage");

export const InvitationCreate = z
  .strictObject({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(320)
      .pipe(z.email({ error: "must be an email address" }))
      .openapi({ example: "new.hire@acme.test" }),
    role: MemberRole.openapi({ description: "Not above the inviter's own role" }),
    departmentId: Uuid.nullable().optional(),
    customerId: Uuid.nullable().optional().openapi({ description: "For a customer user: the customer record they are" }),
  })
  .refine((i) => !i.customerId || i.role === "customer", { message: "customerId is only for role customer", path: ["customerId"] })
  .openapi("InvitationCreate");

export const InvitationListQuery = PageQuery.extend({ status: InvitationStatus.optional() });

export const InvitationIdParam = z.object({ invitationId: Uuid.openapi({ param: { name: "invitationId", in: "path" } }) });

export const InvitationAccept = z
  .strictObject({
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, "must be the invitation_token from the invitation email")
      .openapi({ description: "The invitation_token from the email's link" }),
  })
  .openapi("InvitationAccept");

export const AcceptedInvitation = z
  .object({
    tenantId: Uuid,
    role: MemberRole,
    departmentId: Uuid.nullable(),
    invitationId: Uuid,
    alreadyAccepted: z.boolean().openapi({ description: "True when this person had accepted it before (nothing changed)" }),
    tokenRefreshRequired: z.boolean().openapi({ description: "The current token does not name this tenant: refresh the session (after POST /v1/me/active-tenant if another business is active)" }),
  })
  .openapi("AcceptedInvitation");
