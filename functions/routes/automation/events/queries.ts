// The domain-event log of the caller's business, newest first. RLS admits automation.read.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../../shared/db/tx.ts";
import type { DomainEvent } from "./schema.ts";

export const MAY_READ_AUTOMATION = "select private.has_permission('automation.read') as allowed";

export function listEvents(q: Queue, p: { limit: number; after: unknown[] | null; type?: string }) {
  return q.rows<z.infer<typeof DomainEvent> & { _cursor: unknown[] }>(
    `select e.id, e.type, e.occurred_at as "occurredAt", e.subject_id as "subjectId", e.actor_id as "actorId", e.payload,
       json_build_array(e.occurred_at::text, e.id) as "_cursor"
     from public.domain_events e
     where e.tenant_id = (select private.current_tenant())
       and ($1::public.domain_event_type is null or e.type = $1)
       and ($2::timestamptz is null or (e.occurred_at, e.id) < ($2, $3::uuid))
     order by e.occurred_at desc, e.id desc
     limit $4`,
    [p.type ?? null, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}
