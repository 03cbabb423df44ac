// Webhook endpoints and their deliveries in the caller's business. RLS admits webhooks.manage
// (owners, admins); the signing secret is in a table requests cannot read (see the migration).
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../../shared/db/tx.ts";
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointCreate, WebhookEndpointPatch } from "./schema.ts";

export type EndpointRow = z.infer<typeof WebhookEndpoint>;
type DeliveryRow = z.infer<typeof WebhookDelivery>;

/** The question every route here asks first, in the same flight (403 before anything else). */
export const MAY_MANAGE_WEBHOOKS = "select private.has_permission('webhooks.manage') as allowed";
export const FORBIDDEN = "webhooks are for members with webhooks.manage (owners and admins)";

const ENDPOINT = `w.id, w.url, w.description, w.event_types as "eventTypes", w.enabled, w.disabled_reason as "disabledReason",
  w.disabled_at as "disabledAt", w.consecutive_failures as "consecutiveFailures", w.secret_rotated_at as "secretRotatedAt",
  w.created_by as "createdBy", w.created_at as "createdAt", w.updated_at as "updatedAt"`;

export const may = (q: Queue) => q.one<{ allowed: boolean }>(MAY_MANAGE_WEBHOOKS);

export function listEndpoints(q: Queue, p: { limit: number; after: unknown[] | null }) {
  return q.rows<EndpointRow & { _cursor: unknown[] }>(
    `select ${ENDPOINT}, json_build_array(w.created_at::text, w.id) as "_cursor" from public.webhook_endpoints w
     where w.tenant_id = (select private.current_tenant())
       and ($1::timestamptz is null or (w.created_at, w.id) > ($1, $2::uuid))
     order by w.created_at, w.id limit $3`,
    [p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

export const selectEndpoint = (q: Queue, id: string) =>
  q.one<EndpointRow>(`select ${ENDPOINT} from public.webhook_endpoints w where w.tenant_id = (select private.current_tenant()) and w.id = $1`, [id]);

/** The id comes from the Worker so the secret can be set in the next statement of the same flight. */
export function insertEndpoint(q: Queue, id: string, input: z.infer<typeof WebhookEndpointCreate>) {
  return q.one<EndpointRow>(
    `insert into public.webhook_endpoints as w (tenant_id, id, url, description, event_types, created_by)
     values ((select private.current_tenant()), $1, $2, $3, $4::public.domain_event_type[], (select private.current_user_id()))
     returning ${ENDPOINT}`,
    [id, input.url, input.description ?? null, input.eventTypes ?? null],
  );
}

export const setSecret = (q: Queue, id: string, secret: string) =>
  q.one<{ set: boolean }>("select private.set_webhook_secret($1, $2) as set", [id, secret]);

export function updateEndpoint(q: Queue, id: string, patch: z.infer<typeof WebhookEndpointPatch>) {
  return q.one<EndpointRow>(
    `update public.webhook_endpoints w set
       url = coalesce($2::jsonb ->> 'url', w.url),
       description = case when $2::jsonb ? 'description' then $2::jsonb ->> 'description' else w.description end,
       event_types = case when $2::jsonb ? 'eventTypes'
         then (select array_agg(t::public.domain_event_type) from jsonb_array_elements_text(nullif($2::jsonb -> 'eventTypes', 'null'::jsonb)) t)
         else w.event_types end,
       enabled = case when $2::jsonb ->> 'enabled' = 'false' then false else w.enabled end,
       disabled_reason = case when $2::jsonb ->> 'enabled' = 'false' and w.enabled then 'disabled by a person' else w.disabled_reason end
     where w.tenant_id = (select private.current_tenant()) and w.id = $1
     returning ${ENDPOINT}`,
    [id, JSON.stringify(patch)],
  );
}

/** Re-enabling clears the reason and the failure count; deliveries skipped meanwhile can be replayed. */
export const enableEndpoint = (q: Queue, id: string) => q.one<{ enabled: boolean }>("select private.enable_webhook_endpoint($1) as enabled", [id]);

export const deleteEndpoint = (q: Queue, id: string) =>
  q.one<{ id: string }>(`delete from public.webhook_endpoints w where w.tenant_id = (select private.current_tenant()) and w.id = $1 returning w.id`, [id]);

const ATTEMPTS = `coalesce((select json_agg(a order by a."startedAt", a.try) from (
    select t.id, t.attempt_id as "attemptId", t.try, t.outcome, t.status_code as "statusCode", t.latency_ms as "latencyMs", t.error,
      t.response_snippet as "responseSnippet", t.started_at as "startedAt", t.finished_at as "finishedAt"
    from public.webhook_attempts t where t.tenant_id = d.tenant_id and t.delivery_id = d.id
    order by t.started_at desc, t.try desc limit 20) a), '[]'::json)`;

/** Newest first; an endpoint not visible gives no rows (the route tells 404 by selecting it too). */
export function listDeliveries(q: Queue, endpointId: string, p: { limit: number; after: unknown[] | null }) {
  return q.rows<DeliveryRow & { _cursor: unknown[] }>(
    `select d.id, d.endpoint_id as "endpointId", d.event_id as "eventId", d.event_type as "eventType", d.status, d.attempts, d.replays,
       d.created_at as "createdAt", d.updated_at as "updatedAt", d.delivered_at as "deliveredAt", ${ATTEMPTS} as "attemptLog",
       json_build_array(d.created_at::text, d.id) as "_cursor"
     from public.webhook_deliveries d
     where d.tenant_id = (select private.current_tenant()) and d.endpoint_id = $1
       and ($2::timestamptz is null or (d.created_at, d.id) < ($2, $3::uuid))
     order by d.created_at desc, d.id desc limit $4`,
    [endpointId, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

export const replayDelivery = (q: Queue, endpointId: string, deliveryId: string) =>
  q.one<{ attempt: string | null }>("select private.replay_webhook_delivery($1, $2) as attempt", [endpointId, deliveryId]);
