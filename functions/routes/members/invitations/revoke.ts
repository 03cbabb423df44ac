import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { assertVisible } from "../../../lib/write-outcome.ts";
import type { App } from "../../../types.ts";
import { revokeInvitation } from "./queries.ts";
import { Invitation, InvitationIdParam } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/members/invitations/{invitationId}",
  tags: ["members"],
  summary: "Revoke an invitation (members.manage)",
  description: "Its link stops working at once. Revoking a revoked invitation changes nothing; an accepted one cannot be revoked (change or deactivate the member instead).",
  ...tenantScope,
  request: { params: InvitationIdParam },
  responses: { 200: json(Invitation, "The invitation, revoked"), ...tenantErrors("not_found", "invitation_used") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { invitationId } = c.req.valid("param");
    const result = await c.var.db.tx((q) => revokeInvitation(q, invitationId));
    assertVisible(result, `invitation ${invitationId}`);
    const { visible: _, changed, ...invitation } = result;
    if (!changed) {
      if (invitation.status === "accepted") throw new ApiError("invitation_used", "the invitation was accepted; change or deactivate the member instead");
      if (invitation.status !== "revoked") throw new ApiError("forbidden", "only someone who could send this invitation may revoke it");
    }
    return c.json(invitation as typeof invitation & { id: string }, 200);
  });
