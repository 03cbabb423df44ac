// A reminder for an appointment, published with notBefore = start − offset and the dedupe id
// reminder:{appointment}:{offset}:{starts_at}. It goes to the appointment's assigned staff member
// through the channels they enabled, once per channel (functions/lib/channels/deliver.ts); then
// the reminder_deliveries row records it (its primary key: exactly once). An appointment moved or
// cancelled since is a no-op. Customers are not messaged: a message to a customer is the business's
// own outbound communication, and customers have no notification settings or consent on record.
import { z } from "zod";
import { sendReminder } from "../lib/channels/deliver.ts";
import { defineJob } from "./types.ts";

export const reminderDedupeId = (p: { appointmentId: string; offsetMinutes: number; startsAt: string }) =>
  `reminder:${p.appointmentId}:${p.offsetMinutes}:${p.startsAt}`;

type Context = { user_id: string; title: string; starts_at: string | Date; customer_name: string | null };

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
    const { tx, messageId } = ctx;
    const appointment = await tx((q) =>
      q.one<Context>("select user_id, title, starts_at, customer_name from private.appointment_reminder_context($1, $2, $3)", [p.tenantId, p.appointmentId, p.startsAt]),
    );
    if (!appointment) return { outcome: "stale" };
    const startsAt = new Date(appointment.starts_at);
    const sent = await sendReminder(ctx, {
      tenantId: p.tenantId,
      key: reminderDedupeId(p),
      userId: appointment.user_id,
      subject: `Reminder: ${appointment.title} in ${when(p.offsetMinutes)}`,
      text: `${appointment.title}${appointment.customer_name ? ` with ${appointment.customer_name}` : ""} starts at ${startsAt.toISOString()}.`,
      notAfter: startsAt,
      job: "appointment-reminder",
      payload: p,
    });
    if (sent.status === "deferred") return { outcome: "deferred", until: sent.until };
    const row = await tx((q) =>
      q.one<{ outcome: "delivered" | "duplicate" | "stale" }>(
        "select private.deliver_reminder($1, $2, $3, $4, $5) as outcome",
        [p.tenantId, p.appointmentId, p.offsetMinutes, p.startsAt, messageId],
      ),
    );
    return { outcome: row?.outcome, ...(sent.status === "done" ? { channels: sent.channels } : { recipient: "none" }) };
  },
});
