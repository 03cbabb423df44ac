// What a customer sees of the business: their appointments, the tasks assigned to them and the
// notes shared with them. Only customer-facing fields: no internal ids of staff or departments.
import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";
import { AppointmentKind, AppointmentStatus } from "../dashboard/schema.ts";
import { TaskStatus } from "../tasks/schema.ts";

export const PortalAppointment = z
  .object({ id: Uuid, kind: AppointmentKind, title: z.string(), startsAt: Timestamp, endsAt: Timestamp, status: AppointmentStatus })
  .openapi("PortalAppointment");
export const PortalAppointmentPage = pageOf(PortalAppointment, "PortalAppointmentPage");
export const PortalAppointmentQuery = PageQuery.extend({
  from: Timestamp.optional().openapi({ description: "Only appointments starting at or after this instant" }),
  to: Timestamp.optional().openapi({ description: "Only appointments starting before this instant" }),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] });

export const PortalTask = z
  .object({
    id: Uuid,
    title: z.string(),
    description: z.string().nullable(),
    status: TaskStatus,
    dueAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("PortalTask");
export const PortalTaskPage = pageOf(PortalTask, "PortalTaskPage");

export const PortalNote = z
  .object({ id: Uuid, title: z.string(), body: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi("PortalNote");
export const PortalNotePage = pageOf(PortalNote, "PortalNotePage");

export const PORTAL_NEXT_LIMIT = 5;

export const PortalDashboard = z
  .object({
    counts: z.object({
      upcomingAppointments: z.number().int(),
      openTasks: z.number().int().openapi({ description: "Assigned to the customer, not done or cancelled" }),
      sharedNotes: z.number().int(),
    }),
    nextAppointments: z.array(PortalAppointment).openapi({ description: `The next ${PORTAL_NEXT_LIMIT} scheduled appointments` }),
    nextTasks: z.array(PortalTask).openapi({ description: `The next ${PORTAL_NEXT_LIMIT} open tasks by due date (undated last)` }),
    latestNotes: z.array(PortalNote).openapi({ description: `The ${PORTAL_NEXT_LIMIT} most recently written shared notes` }),
  })
  .openapi("PortalDashboard");
