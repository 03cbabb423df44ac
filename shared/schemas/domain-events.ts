// The closed list of domain event types. Mirrors the domain_event_type enum in the migrations
// (tests/node/catalog-domain-events.test.ts checks they agree); webhooks subscribe to these and
// workflows' `event` triggers will name them.
import { z } from "@hono/zod-openapi";

export const DOMAIN_EVENT_TYPES = [
  "appointment.created", "appointment.updated", "appointment.cancelled", "appointment.completed",
  "task.created", "task.updated", "task.completed",
  "customer.created", "customer.updated",
  "member.invited", "member.joined",
] as const;

export const DomainEventType = z.enum(DOMAIN_EVENT_TYPES).openapi("DomainEventType");
export type DomainEventType = z.infer<typeof DomainEventType>;
