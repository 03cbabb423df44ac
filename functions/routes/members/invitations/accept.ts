import { createRoute } from "@hono/zod-openapi";
import { secretHash } from "../../../lib/invitations/secret.ts";
import { IdempotencyHeaders, json, jsonBody, userErrors, userScopePost } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { acceptInvitation } from "./queries.ts";
import { AcceptedInvitation, InvitationAccept } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/invitations/accept",
  tags: ["invitations"],
  summary: "Join a business with the invitation from your email",
  description:
    "The signed-in person's verified email must be the invited one. Creates the membership with the invited role and department, and makes the business the active one if none is. Accepting again changes nothing. Refresh the session to get a token for the business.",
  ...userScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(InvitationAccept) },
  responses: {
    200: json(AcceptedInvitation, "The membership the invitation created"),
    ...userErrors("not_found", "invitation_wrong_email", "invitation_used", "already_member", "invitation_expired", "invitation_revoked", "idempotency_conflict", "unsupported_media_type", "rate_limited"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const hash = await secretHash(c.req.valid("json").token);
    const accepted = (await c.var.db.tx((q) => acceptInvitation(q, hash)))!;
    return c.json({ ...accepted, tokenRefreshRequired: c.var.auth.tenantId !== accepted.tenantId }, 200);
  });
