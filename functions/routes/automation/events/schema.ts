import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../../shared/schemas/common.ts";
import { DomainEventType } from "../../../../shared/schemas/domain-events.ts";
import { PageQuery, pageOf } from "../../../../shared/schemas/pagination.ts";

export const DomainEvent = z
  .object({
    id: Uuid,
    type: DomainEventType,
    occurredAt: Timestamp,
    subjectId: Uuid.openapi({ description: "The appointment, task, customer, invitation or member (user id) the event is about" }),
    actorId: Uuid.nullable().openapi({ description: "Who caused it (null: a job or the system)" }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: "The object as the API shows it at that moment" }),
  })
  .openapi("DomainEvent");

export const DomainEventPage = pageOf(DomainEvent, "DomainEventPage");

export const DomainEventListQuery = PageQuery.extend({
  type: DomainEventType.optional().openapi({ description: "Only events of this type" }),
});
