// A reminder for an appointment, published with notBefore = start − offset and the dedupe id
// reminder:{appointment}:{offset}:{starts_at}. The effect is one reminder_deliveries row (its
// primary key makes it exactly once); an appointment moved or cancelled since is a no-op.
import { z } from "zod";
import { defineJob } from "./types.ts";

export const reminderDedupeId = (p: { appointmentId: string; offsetMinutes: number; startsAt: string }) =>
  `reminder:${p.appointmentId}:${p.offsetMinutes}:${p.startsAt}`;

export const appointmentReminder = defineJob({
  name: "appointment-reminder",
  payload: z.strictObject({
    tenantId: z.uuid(),
    appointmentId: z.uuid(),
    offsetMinutes: z.number().int().min(0).max(40320),
    startsAt: z.iso.datetime({ offset: true }),
  }),
  async run({ tx, messageId }, p) {
    const row = await tx((q) =>
      q.one<{ outcome: "delivered" | "duplicate" | "stale" }>(
        "select private.deliver_reminder($1, $2, $3, $4, $5) as outcome",
        [p.tenantId, p.appointmentId, p.offsetMinutes, p.startsAt, messageId],
      ),
    );
    return { outcome: row?.outcome };
  },
});
