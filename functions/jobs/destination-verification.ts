// Sends the code that verifies a notification destination, queued by the transaction that named
// the address (the job_outbox row verify:{id}; supabase/migrations/20261202030100). It is the
// only message an unverified address ever receives, and it goes out once: the code's hash is
// recorded first (the code is derived from the id, so a retry records the same hash), then the
// message is sent through the channel's effect row (key verify:{id}), like any reminder. A
// request superseded, verified or expired meanwhile sends nothing.
import { z } from "zod";
import { sendReminder } from "../lib/channels/deliver.ts";
import type { ChannelName } from "../lib/channels/types.ts";
import { codeHash, verificationCode } from "../lib/channels/verification.ts";
import { defineJob } from "./types.ts";

export const verificationDedupeId = (verificationId: string) => `verify:${verificationId}`;

type Pending = { user_id: string; channel: ChannelName; address: string; expires_at: string };

export const destinationVerification = defineJob({
  name: "destination-verification",
  payload: z.strictObject({ tenantId: z.uuid(), verificationId: z.uuid() }),
  async run(ctx, p) {
    const pending = await ctx.tx((q) => q.one<Pending>("select user_id, channel, address, expires_at from private.destination_to_verify($1, $2)", [p.tenantId, p.verificationId]));
    if (!pending) return { outcome: "stale" };
    const code = await verificationCode(ctx.env, p.tenantId, p.verificationId);
    const hash = await codeHash(p.verificationId, code);
    await ctx.tx((q) => q.one("select private.destination_code_hash($1, $2, $3) as recorded", [p.tenantId, p.verificationId, hash]));
    const minutes = Math.max(1, Math.round((Date.parse(pending.expires_at) - ctx.now.getTime()) / 60_000));
    const sent = await sendReminder(
      ctx,
      {
        tenantId: p.tenantId,
        key: verificationDedupeId(p.verificationId),
        userId: pending.user_id,
        subject: "Your AI Office verification code",
        text: `Your verification code is ${code}. Enter it in AI Office within ${minutes} minutes to receive notifications here. If you did not ask for this, ignore this message.`,
        only: [pending.channel],
        job: "destination-verification",
        payload: p,
      },
      { email: pending.channel === "email" ? pending.address : null, telegram_chat_id: pending.channel === "telegram" ? pending.address : null, quiet_until: null },
      async () => null,
    );
    return { outcome: sent.status, channels: sent.status === "done" ? sent.channels : {} };
  },
});
