import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";

export const TASK_STATUSES = ["open", "in_progress", "blocked", "done", "cancelled"] as const;
export const TaskStatus = z.enum(TASK_STATUSES).openapi("TaskStatus");

const Title = z.string().trim().min(1).max(200);
const Description = z.string().max(10_000);

export const Task = z
  .object({
    id: Uuid,
    title: z.string(),
    description: z.string().nullable(),
    status: TaskStatus,
    assignedTo: Uuid.nullable(),
    createdBy: Uuid,
    customerId: Uuid.nullable(),
    dueAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Task");

export const TaskPage = pageOf(Task, "TaskPage");

/** `status=open,in_progress`: one status or a comma-separated list. */
const StatusList = z
  .string()
  .transform((s) => s.split(","))
  .pipe(z.array(TaskStatus).min(1).max(TASK_STATUSES.length))
  .openapi({ type: "string", description: "One status or a comma-separated list", example: "open,in_progress" });

export const TaskListQuery = PageQuery.extend({
  assigned_to: z
    .union([z.literal("me"), Uuid])
    .optional()
    .openapi({ type: "string", description: "A member's user id, or `me`", example: "me" }),
  status: StatusList.optional(),
  due_before: Timestamp.optional().openapi({ description: "Only tasks due before this instant (exclusive)" }),
  due_after: Timestamp.optional().openapi({ description: "Only tasks due at or after this instant" }),
}).refine((q) => !q.due_before || !q.due_after || Date.parse(q.due_after) < Date.parse(q.due_before), {
  message: "due_after must be before due_before",
  path: ["due_after"],
});

export const TaskCreate = z
  .strictObject({
    title: Title,
    description: Description.nullable().optional(),
    status: TaskStatus.optional(),
    assignedTo: z
      .union([z.literal("me"), Uuid])
      .nullable()
      .optional()
      .openapi({
        type: "string",
        description:
          "The assignee's user id or `me` (the default); null leaves it unassigned. Without tasks.manage only `me` is allowed.",
        example: "me",
      }),
    customerId: Uuid.nullable().optional(),
    dueAt: Timestamp.nullable().optional(),
  })
  .openapi("TaskCreate");

export const TaskPatch = z
  .strictObject({
    title: Title.optional(),
    description: Description.nullable().optional(),
    status: TaskStatus.optional(),
    assignedTo: Uuid.nullable().optional(),
    customerId: Uuid.nullable().optional(),
    dueAt: Timestamp.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one field to change" })
  .openapi("TaskPatch", { description: "The assignee may change only `status`; tasks.manage changes every field." });

export const TaskComment = z
  .object({ id: Uuid, taskId: Uuid, authorId: Uuid, body: z.string(), createdAt: Timestamp })
  .openapi("TaskComment");
export const TaskCommentPage = pageOf(TaskComment, "TaskCommentPage");
export const TaskCommentCreate = z.strictObject({ body: z.string().trim().min(1).max(10_000) }).openapi("TaskCommentCreate");

const IsoDate = z.iso.date().openapi({ example: "2026-11-23" });

export const TimeLog = z
  .object({
    id: Uuid,
    taskId: Uuid,
    userId: Uuid,
    minutes: z.number().int(),
    note: z.string().nullable(),
    loggedOn: IsoDate,
    createdAt: Timestamp,
  })
  .openapi("TimeLog");
export const TimeLogPage = pageOf(TimeLog, "TimeLogPage");
export const TimeLogCreate = z
  .strictObject({
    minutes: z.number().int().min(1).max(1440),
    loggedOn: IsoDate.optional().openapi({ description: "The day worked; defaults to today in the caller's time zone" }),
    note: z.string().max(2000).nullable().optional(),
  })
  .openapi("TimeLogCreate");
