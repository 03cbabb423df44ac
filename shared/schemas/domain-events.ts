// The closed list of domain event types. Mirrors the domain_event_type enum in the migrations
// (tests/node/catalog-domain-events.test.ts checks they agree); webhooks subscribe to these and
// workflows' `event` triggers will name them.
import { z } from "@hono/zod-openapi";

export const DOMAIN_EVENT_TYPES = [
  "appointment.created", "appointment.updated", "appointment.cancelled", "appointment.completed",
  "task.created", "task.updated", "task.completed", "task.overdue",
  "customer.created", "customer.updated",
  "member.invited", "member.joined",
] as const;

export const DomainEventType = z.enum(DOMAIN_EVENT_TYPES).openapi("DomainEventType");
export type DomainEventType = z.infer<typeof DomainEventType>;

/**
 * task.overdue's payload: written once per (task, due date) by the overdue scan (job
 * task-overdue-scan) when the due date passed while the task was open; `dueAt` is the due date
 * it is overdue for (UTC, milliseconds), part of the event's unique key.
 */
export const TaskOverduePayload = z
  .object({
    id: z.uuid(),
    title: z.string(),
    status: z.enum(["open", "in_progress", "blocked"]),
    assignedTo: z.uuid().nullable(),
    customerId: z.uuid().nullable(),
    dueAt: z.iso.datetime(),
  })
  .openapi("TaskOverduePayload");
