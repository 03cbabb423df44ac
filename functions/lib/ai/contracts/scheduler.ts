// scheduler: finds free slots across calendars, proposes and books appointments.
import { z } from "zod";
import { defineKind } from "./types.ts";

const Uuid = z.uuid();
const Slot = z.strictObject({ startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }) });

export const scheduler = defineKind({
  kind: "scheduler",
  version: 1,
  title: "Scheduler",
  description: "Finds free slots across members' calendars, proposes times and books appointments.",
  config: z.strictObject({
    workdayStart: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM").default("09:00"),
    workdayEnd: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM").default("17:00"),
    defaultDurationMinutes: z.number().int().min(5).max(480).default(30),
  }),
  tasks: {
    propose_slots: {
      description: "Propose free slots for a meeting of the given members.",
      input: z.strictObject({ memberIds: z.array(Uuid).min(1).max(20), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }), durationMinutes: z.number().int().min(5).max(480).optional() }),
      output: z.strictObject({ slots: z.array(Slot).max(50) }),
      tools: ["find_free_slots"],
      risk: "read",
    },
    book_appointment: {
      description: "Book an appointment for a customer in a free slot.",
      input: z.strictObject({ customerId: Uuid, memberId: Uuid, from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }), title: z.string().min(1).max(200) }),
      output: z.strictObject({ appointmentId: Uuid, startsAt: z.iso.datetime({ offset: true }) }),
      tools: ["find_free_slots", "book_appointment"],
      risk: "write",
    },
  },
});
