import { z } from "@hono/zod-openapi";
import { IanaTimeZone, Timestamp, Uuid } from "../../../shared/schemas/common.ts";

export const MAX_RANGE_DAYS = 92;
/** Mirrors the calendar_events check (a bounded length keeps range queries exact). */
export const MAX_EVENT_DAYS = 14;
export const MAX_CALENDAR_PAGE = 1000;
const DAY_MS = 86_400_000;

export const EventKind = z.enum(["meeting", "call", "reminder", "blocked"]).openapi("CalendarEventKind", {
  description: "Meetings and calls are appointments too (kept in step by the database); reminders and blocked time stay calendar-only.",
});

export const Guest = z
  .strictObject({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .openapi("CalendarGuest");

const Title = z.string().trim().min(1).max(200);
const Notes = z.string().max(10_000);
const Location = z.string().max(500);
const Guests = z.array(Guest).max(100);
const AttendeeIds = z.array(Uuid).max(100).openapi({ description: "Members of this business who attend" });

const LocalTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
  .openapi({ example: "2026-11-23T10:30:00", description: "Wall time in the caller's time zone (user settings; UTC by default)" });

const EventFields = {
  id: Uuid,
  kind: EventKind,
  title: z.string(),
  notes: z.string().nullable(),
  location: z.string().nullable(),
  guests: z.array(z.object({ email: z.string(), name: z.string().optional() })),
  ownerId: Uuid,
  attendees: z.array(Uuid).openapi({ description: "User ids of the attending members" }),
  start: Timestamp,
  end: Timestamp,
  localStart: LocalTime,
  localEnd: LocalTime,
};

/** An event whose details the caller may see: they own it, attend it, or read all appointments. */
export const CalendarEvent = z
  .object({
    ...EventFields,
    busy: z.literal(false),
    appointmentId: Uuid.optional().openapi({ description: "For a meeting or call: its live appointment" }),
  })
  .openapi("CalendarEvent");

/** Somebody else's event: only that the time is taken. The details never leave the database. */
export const BusyBlock = z
  .object({ id: Uuid, start: Timestamp, end: Timestamp, localStart: LocalTime, localEnd: LocalTime, busy: z.literal(true) })
  .openapi("BusyBlock");

export const CalendarEntry = z.union([CalendarEvent, BusyBlock]).openapi("CalendarEntry", { description: "busy tells which of the two it is" });

export const CalendarPage = z
  .object({
    timezone: IanaTimeZone.openapi({ description: "The zone of localStart/localEnd: the caller's setting" }),
    data: z.array(CalendarEntry),
    nextCursor: z.string().nullable(),
  })
  .openapi("CalendarPage");

export const CalendarEventDetail = z
  .object({
    ...EventFields,
    appointmentId: Uuid.nullable(),
    timezone: IanaTimeZone,
    cancelledAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("CalendarEventDetail");

export const CalendarQuery = z
  .object({
    from: Timestamp.openapi({ description: "Start of the range (inclusive), ISO 8601 with offset" }),
    to: Timestamp.openapi({ description: `End of the range (exclusive); after from, at most ${MAX_RANGE_DAYS} days later` }),
    limit: z.coerce.number().int().min(1).max(MAX_CALENDAR_PAGE).default(MAX_CALENDAR_PAGE)
      .openapi({ description: `Page size, at most ${MAX_CALENDAR_PAGE}.` }),
    cursor: z.string().max(512).optional().openapi({ description: "The nextCursor of the previous page." }),
  })
  .superRefine((q, ctx) => {
    const span = Date.parse(q.to) - Date.parse(q.from);
    if (span <= 0) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (span > MAX_RANGE_DAYS * DAY_MS) ctx.addIssue({ code: "custom", path: ["to"], message: `the range is at most ${MAX_RANGE_DAYS} days` });
  });

/** end after start and at most 14 days later, checked when both are known. */
export function checkTimes(v: { start?: string; end?: string }, ctx: z.RefinementCtx) {
  if (v.start === undefined || v.end === undefined) return;
  const span = Date.parse(v.end) - Date.parse(v.start);
  if (span <= 0) ctx.addIssue({ code: "custom", path: ["end"], message: "must be after start" });
  else if (span > MAX_EVENT_DAYS * DAY_MS) ctx.addIssue({ code: "custom", path: ["end"], message: `an event lasts at most ${MAX_EVENT_DAYS} days` });
}

export const EventCreate = z
  .strictObject({
    kind: EventKind,
    title: Title,
    notes: Notes.optional(),
    location: Location.optional(),
    guests: Guests.optional(),
    start: Timestamp,
    end: Timestamp,
    attendeeIds: AttendeeIds.optional(),
  })
  .superRefine(checkTimes)
  .openapi("CalendarEventCreate");

export const EventPatch = z
  .strictObject({
    kind: EventKind.optional(),
    title: Title.optional(),
    notes: Notes.nullable().optional(),
    location: Location.nullable().optional(),
    guests: Guests.optional(),
    start: Timestamp.optional(),
    end: Timestamp.optional(),
    attendeeIds: AttendeeIds.optional().openapi({ description: "The new attendee list (the event's owner only)" }),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one field to change" })
  .superRefine(checkTimes)
  .openapi("CalendarEventPatch");

export { Title, Notes, Location, AttendeeIds };
