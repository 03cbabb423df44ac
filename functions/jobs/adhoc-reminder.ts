// An ad-hoc reminder (POST /v1/automation/reminders), queued by its own transaction with the
// dedupe id reminder:adhoc:{id} and notBefore = remindAt. Sends once per channel to the member it
// is for; a cancelled reminder is a no-op.
import { z } from "zod";
import { sendReminder, TARGET_COLUMNS, type Target } from "../lib/channels/deliver.ts";
import type { ChannelName } from "../lib/channels/types.ts";
import { defineJob } from "./types.ts";

export const adhocReminderDedupeId = (reminderId: string) => `reminder:adhoc:${reminderId}`;

type Context = Target & { user_id: string; text: string; remind_at: string | Date; channels: ChannelName[] | null };

export const adhocReminder = defineJob({
  name: "adhoc-reminder",
  payload: z.strictObject({ tenantId: z.uuid(), reminderId: z.uuid() }),
  async run(ctx, p) {
    const reminder = await ctx.tx((q) =>
      q.one<Context>(
        `select r.user_id, r.text, r.remind_at, r.channels, ${TARGET_COLUMNS}
         from private.adhoc_reminder_context($1, $2) r
         join lateral private.notification_target($1, r.user_id, $3) nt on true`,
        [p.tenantId, p.reminderId, ctx.now.toISOString()],
      ),
    );
    // Cancelled, or its recipient is no longer an active member: nothing to send.
    if (!reminder) return { outcome: "stale" };
    const firstLine = reminder.text.split("\n", 1)[0]!;
    const sent = await sendReminder(
      ctx,
      {
        tenantId: p.tenantId,
        key: adhocReminderDedupeId(p.reminderId),
        userId: reminder.user_id,
        subject: `Reminder: ${firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine}`,
        text: reminder.text,
        only: reminder.channels,
        job: "adhoc-reminder",
        payload: p,
      },
      reminder,
      async () => null,
    );
    if (sent.status === "deferred") return { outcome: "deferred", until: sent.until };
    return { outcome: "done", channels: sent.channels };
  },
});
