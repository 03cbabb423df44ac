import { z } from "@hono/zod-openapi";
import { IanaTimeZone, Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { TaskStatus } from "../tasks/schema.ts";

export const AppointmentKind = z.enum(["meeting", "call"]);
export const AppointmentStatus = z.enum(["scheduled", "cancelled", "completed"]);

export const DashboardAppointment = z
  .object({
    id: Uuid,
    kind: AppointmentKind,
    title: z.string(),
    startsAt: Timestamp,
    endsAt: Timestamp,
    status: AppointmentStatus,
    customerId: Uuid.nullable(),
  })
  .openapi("DashboardAppointment");

export const DashboardTask = z
  .object({ id: Uuid, title: z.string(), status: TaskStatus, dueAt: Timestamp.nullable(), customerId: Uuid.nullable() })
  .openapi("DashboardTask");

export const TODAY_LIMIT = 50;
export const NEXT_LIMIT = 5;

export const Dashboard = z
  .object({
    timezone: IanaTimeZone.openapi({ description: "The caller's time zone (settings), which defines today" }),
    today: z.iso.date().openapi({ description: "Today's date in that time zone" }),
    counts: z.object({
      appointmentsToday: z.number().int().openapi({ description: "Not cancelled, starting today, owned or attended" }),
      openTasks: z.number().int().openapi({ description: "Assigned to the caller, not done or cancelled" }),
      overdueTasks: z.number().int().openapi({ description: "Open tasks whose due time has passed" }),
    }),
    todayAppointments: z.array(DashboardAppointment).openapi({ description: `Today's appointments by start (at most ${TODAY_LIMIT})` }),
    nextAppointments: z.array(DashboardAppointment).openapi({ description: `The next ${NEXT_LIMIT} scheduled appointments from now` }),
    nextTasks: z.array(DashboardTask).openapi({ description: `The caller's next ${NEXT_LIMIT} open tasks by due date (undated last)` }),
  })
  .openapi("Dashboard");
