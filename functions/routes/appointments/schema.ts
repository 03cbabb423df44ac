import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";
import { AttendeeIds, checkTimes, Location, Notes, Title } from "../calendar/schema.ts";

export const AppointmentKind = z.enum(["meeting", "call"]).openapi("AppointmentKind");
export const AppointmentStatus = z.enum(["scheduled", "cancelled", "completed"]).openapi("AppointmentStatus");

export const Appointment = z
  .object({
    id: Uuid,
    eventId: Uuid.openapi({ description: "The calendar event this appointment is (title and times live there)" }),
    kind: AppointmentKind,
    title: z.string(),
    status: AppointmentStatus,
    start: Timestamp,
    end: Timestamp,
    ownerId: Uuid.openapi({ description: "The employee whose appointment it is" }),
    customerId: Uuid.nullable(),
    attendees: z.array(Uuid),
    notes: z.string().nullable(),
    location: z.string().nullable(),
    cancelledAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Appointment");

export const AppointmentPage = pageOf(Appointment, "AppointmentPage");

export const AppointmentListQuery = PageQuery.extend({
  from: Timestamp.optional().openapi({ description: "Only appointments ending after this time" }),
  to: Timestamp.optional().openapi({ description: "Only appointments starting before this time" }),
  status: AppointmentStatus.optional(),
}).superRefine((q, ctx) => {
  if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) <= Date.parse(q.from)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  }
});

export const AppointmentCreate = z
  .strictObject({
    kind: AppointmentKind,
    title: Title,
    start: Timestamp,
    end: Timestamp,
    customerId: Uuid.optional().openapi({ description: "A customer of this business" }),
    attendeeIds: AttendeeIds.optional(),
    notes: Notes.optional(),
    location: Location.optional(),
  })
  .superRefine(checkTimes)
  .openapi("AppointmentCreate");

export const AppointmentPatch = z
  .strictObject({
    kind: AppointmentKind.optional(),
    title: Title.optional(),
    start: Timestamp.optional(),
    end: Timestamp.optional(),
    notes: Notes.nullable().optional(),
    location: Location.nullable().optional(),
    customerId: Uuid.nullable().optional(),
    status: AppointmentStatus.optional().openapi({ description: "cancelled also cancels the event, and is final" }),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one field to change" })
  .superRefine(checkTimes)
  .openapi("AppointmentPatch");
