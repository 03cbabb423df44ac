// A reminder for an appointment, published with notBefore = start − offset and the dedupe id
// reminder:{appointment}:{offset}:{starts_at}. It goes to the appointment's assigned staff member
// through the channels they enabled, once per channel (functions/lib/channels/deliver.ts); then
// the reminder_deliveries row records it (its primary key: exactly once). An appointment moved or
// cancelled since is a no-op. Customers are not messaged: a message to a customer is the business's
// own outbound communication, and customers have no notification settings or consent on record.
import { z } from "zod";
import { sendReminder, TARGET_COLUMNS, type Target } from "../lib/channels/deliver.ts";
import { defineJob } from "./types.ts";

export const reminderDedupeId = (p: { appointmentId: string; offsetMinutes: number; startsAt: string }) =>
  `reminder:${p.appointmentId}:${p.offsetMinutes}:${p.startsAt}`;

type Context = Target & { user_id: string; title: string; starts_at: string | Date; customer_name: string | null };

const when = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

export const appointmentReminder = defineJob({
  name: "appointment-reminder",
  payload: z.strictObject({
    tenantId: z.uuid(),
    appointmentId: z.uuid(),
    offsetMinutes: z.number().int().min(0).max(40320),
    startsAt: z.iso.datetime({ offset: true }),
  }),
  async run(ctx, p) {
    // The appointment while it is current, with where its staff member's messages go now.
    const appointment = await ctx.tx((q) =>
      q.one<Context>(
        `select a.user_id, a.title, a.starts_at, a.customer_name, ${TARGET_COLUMNS}
         from private.appointment_reminder_context($1, $2, $3) a
         join lateral private.notification_target($1, a.user_id, $4) nt on true`,
        [p.tenantId, p.appointmentId, p.startsAt, ctx.now.toISOString()],
      ),
    );
    if (!appointment) return { outcome: "stale" };
    const startsAt = new Date(appointment.starts_at);
    const sent = await sendReminder(
      ctx,
      {
        tenantId: p.tenantId,
        key: reminderDedupeId(p),
        userId: appointment.user_id,
        subject: `Reminder: ${appointment.title} in ${when(p.offsetMinutes)}`,
        text: `${appointment.title}${appointment.customer_name ? ` with ${appointment.customer_name}` : ""} starts at ${startsAt.toISOString()}.`,
        notAfter: startsAt,
        job: "appointment-reminder",
        payload: p,
      },
      appointment,
      // The reminder's own record, once every channel is done (its primary key: exactly once).
      (q) =>
        q.one<{ outcome: "delivered" | "duplicate" | "stale" }>("select private.deliver_reminder($1, $2, $3, $4, $5) as outcome", [
          p.tenantId, p.appointmentId, p.offsetMinutes, p.startsAt, ctx.messageId,
        ]),
    );
    if (sent.status === "deferred") return { outcome: "deferred", until: sent.until };
    return { outcome: sent.finished?.outcome, channels: sent.channels };
  },
});
