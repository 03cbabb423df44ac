// Sends an invitation's email, queued by the invitation's own transaction (the job_outbox row
// `invitation:{id}`). Runs once per invitation: the email goes out only while the invitation is
// open and not yet emailed, and marking it emailed is the last step, so a retry after a failed
// send sends again and a redelivery after a success finds nothing to do.
import { z } from "zod";
import { sendInvitation } from "../lib/invitations/mailer.ts";
import { invitationSecret } from "../lib/invitations/secret.ts";
import { defineJob } from "./types.ts";

type Pending = { email: string; role: string; tenant_name: string; inviter_name: string | null; expires_at: string };

export const invitationEmail = defineJob({
  name: "invitation-email",
  payload: z.strictObject({ tenantId: z.uuid(), invitationId: z.uuid() }),
  async run({ tx, env }, p) {
    const pending = await tx((q) =>
      q.one<Pending>("select email, role, tenant_name, inviter_name, expires_at from private.invitation_to_email($1, $2)", [p.tenantId, p.invitationId]),
    );
    if (!pending) return { outcome: "nothing to send" };
    const kind = await sendInvitation(env, {
      email: pending.email,
      secret: await invitationSecret(env, p.tenantId, p.invitationId),
      tenantName: pending.tenant_name,
      role: pending.role,
      inviterName: pending.inviter_name,
      expiresAt: new Date(pending.expires_at).toISOString(),
    });
    await tx((q) => q.one("select private.invitation_emailed($1, $2) as marked", [p.tenantId, p.invitationId]));
    return { outcome: "sent", kind };
  },
});
