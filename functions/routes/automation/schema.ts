import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";

export const AutomationSettings = z
  .object({
    reminderOffsetsMinutes: z.array(z.number().int()).openapi({ description: "Minutes before an appointment its reminders go out", example: [1440, 60] }),
    updatedAt: Timestamp.nullable().openapi({ description: "null: never saved (the defaults)" }),
  })
  .openapi("AutomationSettings");

export const AutomationSettingsInput = z
  .strictObject({
    reminderOffsetsMinutes: z
      .array(z.number().int().min(5, "at least 5 minutes").max(40320, "at most 28 days (40320 minutes)"))
      .max(5)
      .refine((a) => new Set(a).size === a.length, { message: "must not repeat an offset" })
      .openapi({ description: "0–5 distinct offsets, 5 minutes to 28 days; [] turns appointment reminders off. Applies to appointments created or moved from now on.", example: [1440, 60] }),
  })
  .openapi("AutomationSettingsInput");

export const ChannelName = z.enum(["email", "telegram"]).openapi("ChannelName");

export const ReminderCreate = z
  .strictObject({
    text: z.string().trim().min(1).max(1000),
    remindAt: Timestamp.refine((t) => Date.parse(t) > Date.now(), { message: "must be in the future" }),
    userId: Uuid.optional().openapi({ description: "Whom to remind (a staff member); default you. Another member needs automation.manage." }),
    channels: z
      .array(ChannelName)
      .min(1)
      .refine((a) => new Set(a).size === a.length, { message: "must not repeat a channel" })
      .nullable()
      .optional()
      .openapi({ description: "Only these of the recipient's enabled channels; default all they enabled" }),
  })
  .openapi("ReminderCreate");

export const ReminderStatus = z.enum(["scheduled", "cancelled", "delivered"]).openapi("ReminderStatus");

export const Reminder = z
  .object({
    id: Uuid,
    userId: Uuid,
    createdBy: Uuid,
    text: z.string(),
    remindAt: Timestamp,
    channels: z.array(ChannelName).nullable(),
    status: ReminderStatus,
    deliveries: z.array(z.object({ channel: ChannelName, status: z.enum(["claimed", "sent", "skipped"]), reason: z.string().nullable(), sentAt: Timestamp.nullable() })),
    createdAt: Timestamp,
    cancelledAt: Timestamp.nullable(),
  })
  .openapi("Reminder");

export const ReminderPage = pageOf(Reminder, "ReminderPage");

export const ReminderListQuery = PageQuery.extend({
  userId: Uuid.optional().openapi({ description: "Only reminders for this member" }),
  status: ReminderStatus.optional(),
});

export const ReminderIdParam = z.object({ reminderId: Uuid.openapi({ param: { name: "reminderId", in: "path" } }) });
