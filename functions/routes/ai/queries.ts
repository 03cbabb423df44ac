// AI workers and the execution policy of the caller's business. RLS admits ai.read to read and
// ai.manage to write; status changes go through private.ai_worker_transition (legal transitions
// only, each with its event row).
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { AiPolicy, AiWorker, AiWorkerEvent } from "./schema.ts";

type WorkerRow = z.infer<typeof AiWorker>;

export const MAY_MANAGE_AI = "select private.has_permission('ai.manage') as allowed";
export const MAY_READ_AI = "select private.has_permission('ai.read') as allowed";
export const MANAGE_FORBIDDEN = "AI workers and their policy are managed by members with ai.manage (owners and admins)";
export const READ_FORBIDDEN = "AI workers are visible to members with ai.read (owners, admins and managers)";

export const may = (q: Queue, sql: string) => q.one<{ allowed: boolean }>(sql);

const WORKER = `w.id, w.kind, w.contract_version as "contractVersion", w.name, w.config, w.config_version as "configVersion",
  w.status, w.status_changed_at as "statusChangedAt", w.execution_policy as "executionPolicy",
  coalesce(w.execution_policy, (select s.execution_policy from public.ai_settings s where s.tenant_id = w.tenant_id), 'hybrid') as "effectivePolicy",
  w.policy_version as "policyVersion", w.created_by as "createdBy", w.created_at as "createdAt", w.updated_at as "updatedAt"`;

export function listWorkers(q: Queue, p: { limit: number; after: unknown[] | null; status?: string }) {
  return q.rows<WorkerRow & { _cursor: unknown[] }>(
    `select ${WORKER}, json_build_array(w.created_at::text, w.id) as "_cursor" from public.ai_workers w
     where w.tenant_id = (select private.current_tenant())
       and ($1::text is null or w.status = $1)
       and ($2::timestamptz is null or (w.created_at, w.id) > ($2, $3::uuid))
     order by w.created_at, w.id limit $4`,
    [p.status ?? null, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

export const selectWorker = (q: Queue, id: string) =>
  q.one<WorkerRow>(`select ${WORKER} from public.ai_workers w where w.tenant_id = (select private.current_tenant()) and w.id = $1`, [id]);

export function insertWorker(q: Queue, w: { kind: string; contractVersion: number; name: string; config: unknown; executionPolicy: string | null }) {
  return q.one<WorkerRow>(
    `insert into public.ai_workers as w (tenant_id, kind, contract_version, name, config, execution_policy, created_by)
     values ((select private.current_tenant()), $1, $2, $3, $4::jsonb, $5, (select private.current_user_id()))
     returning ${WORKER}`,
    [w.kind, w.contractVersion, w.name, JSON.stringify(w.config), w.executionPolicy],
  );
}

/**
 * One statement: the worker as it was (kind, status) and the update. `configs` holds the new
 * config validated against each kind it is valid for: when the worker's kind is not among them,
 * or the worker is retired, nothing changes (the caller reports why from `target`).
 */
export function updateWorker(q: Queue, id: string, patch: { name?: string; configs?: Record<string, unknown>; executionPolicy?: string | null }) {
  return q.one<{ targetKind: string | null; targetStatus: string | null } & (WorkerRow | { [K in keyof WorkerRow]: null })>(
    `with target as (
       select w.kind, w.status from public.ai_workers w where w.tenant_id = (select private.current_tenant()) and w.id = $1
     ), updated as (
       update public.ai_workers w set
         name = coalesce($2, w.name),
         config = coalesce($3::jsonb -> w.kind, w.config),
         execution_policy = case when $4::boolean then $5::text else w.execution_policy end
       where w.tenant_id = (select private.current_tenant()) and w.id = $1 and w.status <> 'retired'
         and ($3::jsonb is null or $3::jsonb ? w.kind)
       returning ${WORKER}
     )
     select t.kind as "targetKind", t.status as "targetStatus", u.*
     from (select 1) one left join target t on true left join updated u on true`,
    [id, patch.name ?? null, patch.configs === undefined ? null : JSON.stringify(patch.configs), patch.executionPolicy !== undefined, patch.executionPolicy ?? null],
  );
}

export const transition = (q: Queue, id: string, to: string, reason: string | null) =>
  q.one<{ id: string; from_status: string; changed: boolean }>("select * from private.ai_worker_transition($1, $2, $3)", [id, to, reason]);

export function listEvents(q: Queue, workerId: string, p: { limit: number; after: unknown[] | null }) {
  return q.rows<z.infer<typeof AiWorkerEvent> & { _cursor: unknown[] }>(
    `select e.id, e.from_status as "fromStatus", e.to_status as "toStatus", e.actor_id as "actorId", e.reason, e.created_at as "createdAt",
       json_build_array(e.created_at::text, e.id) as "_cursor"
     from public.ai_worker_events e
     where e.tenant_id = (select private.current_tenant()) and e.worker_id = $1
       and ($2::timestamptz is null or (e.created_at, e.id) > ($2, $3::uuid))
     order by e.created_at, e.id limit $4`,
    [workerId, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

type PolicyRow = z.infer<typeof AiPolicy>;
const POLICY = `s.execution_policy as "executionPolicy", s.bulk_threshold as "bulkThreshold", s.policy_version as "policyVersion",
  s.updated_by as "updatedBy", s.updated_at as "updatedAt"`;

/** The business's policy; the defaults until someone sets it. */
export const selectPolicy = (q: Queue) =>
  q.one<PolicyRow>(
    `select coalesce(p."executionPolicy", 'hybrid') as "executionPolicy", coalesce(p."bulkThreshold", 25) as "bulkThreshold",
       coalesce(p."policyVersion", 1) as "policyVersion", p."updatedBy", p."updatedAt"
     from (select 1) one left join (select ${POLICY} from public.ai_settings s where s.tenant_id = (select private.current_tenant())) p on true`,
  );

export const upsertPolicy = (q: Queue, p: { executionPolicy: string; bulkThreshold?: number }) =>
  q.one<PolicyRow>(
    `insert into public.ai_settings as s (tenant_id, execution_policy, bulk_threshold, updated_by)
     values ((select private.current_tenant()), $1, coalesce($2, 25), (select private.current_user_id()))
     on conflict (tenant_id) do update set execution_policy = excluded.execution_policy,
       bulk_threshold = coalesce($2, s.bulk_threshold), updated_by = excluded.updated_by
     returning ${POLICY}`,
    [p.executionPolicy, p.bulkThreshold ?? null],
  );
