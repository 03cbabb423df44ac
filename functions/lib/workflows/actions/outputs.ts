// The typed outputs steps hand to the steps after them.
import { z } from "zod";

export const AppointmentsOutput = z.strictObject({
  appointments: z.array(
    z.strictObject({
      id: z.uuid(),
      title: z.string(),
      status: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      ownerEmployeeId: z.uuid(),
      customerId: z.uuid().nullable(),
    }),
  ),
});

export const TaskCountsOutput = z.strictObject({
  tasks: z.strictObject({
    total: z.number().int(),
    open: z.number().int(),
    inProgress: z.number().int(),
    blocked: z.number().int(),
    done: z.number().int(),
    overdue: z.number().int(),
  }),
});

export const SummaryOutput = z.strictObject({ summary: z.strictObject({ title: z.string(), text: z.string() }) });

export const SentOutput = z.strictObject({ key: z.string(), channels: z.record(z.string(), z.string()) });

export const FollowUpOutput = z.strictObject({
  draft: z.strictObject({ appointmentId: z.uuid(), userId: z.uuid(), subject: z.string(), text: z.string() }),
  sent: SentOutput,
});
