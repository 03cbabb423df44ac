import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { invitationSecret, secretHash } from "../../../lib/invitations/secret.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import { createInvitation, MAY_MANAGE_MEMBERS } from "./queries.ts";
import { Invitation, InvitationCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/members/invitations",
  tags: ["members"],
  summary: "Invite a person by email (members.manage)",
  description:
    "The role may not be above the inviter's own. Inviting an email again replaces its open invitation (a resend). The email goes out within a minute through Supabase Auth: an invite for a new person, a sign-in link for one who already has an account; either leads to POST /v1/invitations/accept. The invitation expires after 7 days.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(InvitationCreate) },
  responses: {
    201: json(Invitation, "The pending invitation (its secret is only in the email)"),
    ...tenantErrors("already_member", "conflict", "not_found", "idempotency_conflict", "unsupported_media_type", "rate_limited", "unavailable"),
  },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
    const input = c.req.valid("json");
    const id = crypto.randomUUID();
    const hash = await secretHash(await invitationSecret(c.var.env, c.var.tenantId, id));
    const result = await c.var.db.tx((q) => createInvitation(q, id, input, hash));
    if (result?.alreadyMember) {
      throw new ApiError("already_member", `${input.email} is already a member of this business`, {
        fieldErrors: [{ path: "body.email", message: "is already a member" }],
      });
    }
    if (!result?.id) throw new ApiError("forbidden", "you may not invite with this role");
    const { alreadyMember: _, ...invitation } = result;
    return c.json(invitation, 201);
    },
    permissionFirst(MAY_MANAGE_MEMBERS, "invitations are for members with members.manage"),
  );
