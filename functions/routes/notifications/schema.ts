import { z } from "@hono/zod-openapi";
import { IanaTimeZone, Timestamp } from "../../../shared/schemas/common.ts";

const LocalTime = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "must be a local time HH:MM (00:00–23:59)")
  .openapi({ example: "22:00" });

export const QuietHours = z
  .strictObject({ start: LocalTime, end: LocalTime })
  .refine((q) => q.start !== q.end, { message: "start and end must differ", path: ["end"] })
  .openapi("QuietHours", { description: "Local times in your time zone (PATCH /v1/me/settings); may wrap midnight (22:00–07:00)." });

const Email = z.string().trim().toLowerCase().max(320).pipe(z.email({ error: "must be an email address" }));
// A numeric chat id (negative for groups) or a public @channelusername, as the Bot API takes them.
const TelegramChatId = z
  .string()
  .regex(/^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, "must be a Telegram chat id (digits, negative for groups) or @channelname")
  .openapi({ example: "123456789" });

export const NotificationSettingsInput = z
  .strictObject({
    channels: z.strictObject({ email: z.boolean(), telegram: z.boolean() }).openapi({ description: "Which channels reminders use" }),
    email: Email.nullable().openapi({
      description: "Where emails go; null: your email in this business. Another address is pending until verified (a code is sent there; POST /v1/me/notifications/verify).",
    }),
    telegramChatId: TelegramChatId.nullable().openapi({
      description: "The chat the bot writes to (start a chat with the bot first). Pending until verified with the code the bot sends there.",
    }),
    quietHours: QuietHours.nullable(),
  })
  .refine((s) => !s.channels.telegram || s.telegramChatId !== null, { message: "is required when telegram is enabled", path: ["telegramChatId"] })
  .openapi("NotificationSettingsInput");

const DestinationStatus = z.enum(["verified", "pending"]).openapi("DestinationStatus");

export const VerifyDestination = z
  .strictObject({
    channel: z.enum(["email", "telegram"]),
    code: z.string().regex(/^[0-9]{6}$/, "must be the 6-digit code").openapi({ example: "042917" }),
  })
  .openapi("VerifyDestination");

export const NotificationSettings = z
  .object({
    channels: z.object({ email: z.boolean(), telegram: z.boolean() }),
    email: z.string().nullable().openapi({ description: "The address set here; null: your email in this business" }),
    effectiveEmail: z.string().nullable().openapi({ description: "Where reminder emails go now (a verified address, else your email in this business)" }),
    telegramChatId: z.string().nullable(),
    verification: z
      .object({ email: DestinationStatus.nullable(), telegram: DestinationStatus.nullable() })
      .openapi({ description: "Per custom address: verified, or pending (nothing but the verification code goes there). null: no custom address." }),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    timezone: IanaTimeZone.openapi({ description: "Your time zone (PATCH /v1/me/settings): quiet hours are read in it" }),
    updatedAt: Timestamp.nullable().openapi({ description: "null: never saved (these are the defaults)" }),
  })
  .openapi("NotificationSettings");
