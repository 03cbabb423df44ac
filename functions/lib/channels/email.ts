// Email through Resend with its official client (`resend`). The client returns errors instead of
// throwing; a refused send throws here so the job is retried. Idempotency-Key = the effect row's
// id: Resend answers a repeated key (within 24 h) with the first email, so a retry after a crash
// between send and mark is still one email.
import { Resend } from "resend";
import type { AppEnv } from "../../../shared/env.ts";
import type { Channel, OutboundMessage } from "./types.ts";

export function emailChannel(env: Pick<AppEnv, "RESEND_BASE_URL" | "RESEND_API_KEY" | "EMAIL_FROM">): Channel {
  return {
    name: "email",
    async send(message: OutboundMessage) {
      if (!env.RESEND_API_KEY) throw new Error("email is not configured (RESEND_API_KEY)");
      const resend = new Resend(env.RESEND_API_KEY, { baseUrl: env.RESEND_BASE_URL.replace(/\/$/, "") });
      const { data, error } = await resend.emails.send(
        { from: env.EMAIL_FROM, to: [message.to], subject: message.subject, text: message.text },
        { idempotencyKey: message.idempotencyKey },
      );
      if (error || !data) throw new Error(`Resend refused the email: ${error?.name ?? "no data"} ${error?.message ?? ""}`.trim());
      return { providerId: data.id };
    },
  };
}
