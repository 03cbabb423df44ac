// Workflows of the caller's active tenant. RLS decides who reads (automation.read or .manage) and
// who writes (automation.manage); every statement also answers `allowed`, so a member without the
// permission gets 403 rather than an empty answer, in the same round trip.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../../shared/db/tx.ts";
import type { Execution, ExecutionStep, Workflow, WorkflowCreate, WorkflowUpdate } from "./schema.ts";

type WorkflowRow = z.infer<typeof Workflow>;
type ExecutionRow = z.infer<typeof Execution>;

export const MAY_MANAGE = "select private.has_permission('automation.manage') as allowed";
export const MAY_READ = "select private.may_read_automation() as allowed";

const WORKFLOW = `w.id, w.name, w.active, w.current_version as "currentVersion", v.trigger, v.actions,
  w.template_key as "templateKey", w.created_by as "createdBy", w.created_at as "createdAt", w.updated_at as "updatedAt"`;
const JOIN_VERSION = `join public.workflow_versions v on v.tenant_id = w.tenant_id and v.workflow_id = w.id and v.version = w.current_version`;
const EXECUTION = `e.id, e.workflow_id as "workflowId", e.version, e.status, e.trigger_kind as "triggerKind", e.trigger_id as "triggerId",
  e.current_step as "currentStep", e.step_count as "stepCount", e.created_by as "createdBy", e.created_at as "createdAt",
  e.started_at as "startedAt", e.finished_at as "finishedAt", e.error`;

const allowed = (q: Queue, sql: string) => q.one<{ allowed: boolean }>(sql).then((r) => !!r?.allowed);

export function createWorkflow(q: Queue, id: string, input: z.infer<typeof WorkflowCreate>) {
  return q.one<WorkflowRow>(
    `with w as (
       insert into public.workflows (tenant_id, id, name, created_by)
       values ((select private.current_tenant()), $1, $2, (select private.current_user_id()))
       returning *
     ), v as (
       -- Its trigger (after insert) makes the workflow's trigger_kind this version's.
       insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by)
       select w.tenant_id, w.id, 1, $3, $4, w.created_by from w
       returning *
     )
     select ${WORKFLOW} from w join v on v.workflow_id = w.id`,
    [id, input.name, JSON.stringify(input.trigger), JSON.stringify(input.actions)],
  );
}

export async function listWorkflows(q: Queue, page: { limit: number; after: unknown[] | null }) {
  const [ok, rows] = await Promise.all([
    allowed(q, MAY_READ),
    q.rows<WorkflowRow & { _cursor: unknown[] }>(
      `select ${WORKFLOW}, json_build_array(w.created_at::text, w.id) as "_cursor" from public.workflows w ${JOIN_VERSION}
       where w.tenant_id = (select private.current_tenant()) and ($1::timestamptz is null or (w.created_at, w.id) > ($1, $2::uuid))
       order by w.created_at, w.id limit $3`,
      [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    ),
  ]);
  return { allowed: ok, rows };
}

export async function getWorkflow(q: Queue, id: string) {
  const [ok, row] = await Promise.all([
    allowed(q, MAY_READ),
    q.one<WorkflowRow>(`select ${WORKFLOW} from public.workflows w ${JOIN_VERSION} where w.id = $1`, [id]),
  ]);
  return { allowed: ok, row };
}

/** A new version (name, trigger, actions merged over the current one) becomes current. */
export async function updateWorkflow(q: Queue, id: string, input: z.infer<typeof WorkflowUpdate>) {
  // The row lock first, in its own statement: the versioning statement then reads with a
  // snapshot taken after a concurrent PATCH or activation committed (see setActive).
  const [ok, , row] = await Promise.all([
    allowed(q, MAY_MANAGE),
    q.one("select 1 from public.workflows w where w.id = $1 and (select private.has_permission('automation.manage')) for update", [id]),
    q.one<WorkflowRow & { wasScheduled: boolean }>(
      `with cur as (
         select w.tenant_id, w.id, w.current_version, v.trigger, v.actions from public.workflows w ${JOIN_VERSION}
         where w.id = $1 and (select private.has_permission('automation.manage'))
         for update of w
       ), v as (
         insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by)
         select cur.tenant_id, cur.id, cur.current_version + 1, coalesce($3::jsonb, cur.trigger), coalesce($4::jsonb, cur.actions),
           (select private.current_user_id()) from cur
         returning *
       ), w as (
         -- current_version and trigger_kind follow the new version (its insert trigger).
         update public.workflows w set name = coalesce($2, w.name)
         from v where w.tenant_id = v.tenant_id and w.id = v.workflow_id
         returning w.*
       )
       select ${WORKFLOW.replace('w.current_version as "currentVersion"', 'v.version as "currentVersion"')}, (select cur.trigger ->> 'type' from cur) = 'scheduled' as "wasScheduled" from w join v on v.workflow_id = w.id`,
      [id, input.name ?? null, input.trigger ? JSON.stringify(input.trigger) : null, input.actions ? JSON.stringify(input.actions) : null],
    ),
  ]);
  return { allowed: ok, row };
}

export async function setActive(q: Queue, id: string, active: boolean) {
  // Two statements, not an update joined to the version: under READ COMMITTED a statement that
  // waited for a concurrent PATCH's row lock sees the updated row but not the version that PATCH
  // inserted (its snapshot predates it), and the joined answer would vanish (a false 404). The
  // read after the update takes a new snapshot. Still one flight.
  const [ok, , row] = await Promise.all([
    allowed(q, MAY_MANAGE),
    q.one("update public.workflows w set active = $2 where w.id = $1 and (select private.has_permission('automation.manage'))", [id, active]),
    q.one<WorkflowRow>(`select ${WORKFLOW} from public.workflows w ${JOIN_VERSION} where w.id = $1 and (select private.has_permission('automation.manage'))`, [id]),
  ]);
  return { allowed: ok, row };
}

/** Starts a manual run (its id names the execution's trigger), then reads the execution back. */
export async function runWorkflow(q: Queue, id: string, runId: string, payload: Record<string, unknown>) {
  const [, row] = await Promise.all([
    q.one("select private.workflow_run_manual($1, $2, $3)", [id, runId, JSON.stringify(payload)]),
    q.one<ExecutionRow>(`select ${EXECUTION} from public.workflow_executions e where e.workflow_id = $1 and e.trigger_id = $2`, [id, `manual:${runId}`]),
  ]);
  return row;
}

export async function listExecutions(q: Queue, workflowId: string, page: { limit: number; after: unknown[] | null }) {
  const [ok, exists, rows] = await Promise.all([
    allowed(q, MAY_READ),
    q.one<{ found: boolean }>("select exists (select 1 from public.workflows w where w.id = $1) as found", [workflowId]),
    q.rows<ExecutionRow & { _cursor: unknown[] }>(
      `select ${EXECUTION}, json_build_array(e.created_at::text, e.id) as "_cursor" from public.workflow_executions e
       where e.tenant_id = (select private.current_tenant()) and e.workflow_id = $1
         and ($2::timestamptz is null or (e.created_at, e.id) < ($2, $3::uuid))
       order by e.created_at desc, e.id desc limit $4`,
      [workflowId, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    ),
  ]);
  return { allowed: ok, found: !!exists?.found, rows };
}

export async function getExecution(q: Queue, workflowId: string, executionId: string) {
  const [ok, row, steps] = await Promise.all([
    allowed(q, MAY_READ),
    // The trigger payload and step outputs come through private.workflow_execution_data(), which
    // hides what the reader may not read (the rule is in migration 20261202040000).
    q.one<ExecutionRow & { triggerPayload: Record<string, unknown> | null }>(
      `select ${EXECUTION}, d.trigger_payload as "triggerPayload" from public.workflow_executions e
       left join lateral private.workflow_execution_data(e.id) d on true
       where e.workflow_id = $1 and e.id = $2`,
      [workflowId, executionId],
    ),
    q.rows<z.infer<typeof ExecutionStep>>(
      `select s.step_index as "stepIndex", s.action, s.status, s.attempts, s.input,
         d.outputs -> s.step_index as output, s.last_error as "lastError",
         s.started_at as "startedAt", s.finished_at as "finishedAt", s.next_attempt_at as "nextAttemptAt"
       from public.workflow_execution_steps s
       join public.workflow_executions e on e.tenant_id = s.tenant_id and e.id = s.execution_id and e.workflow_id = $1
       left join lateral private.workflow_execution_data(s.execution_id) d on true
       where s.execution_id = $2 order by s.step_index`,
      [workflowId, executionId],
    ),
  ]);
  return { allowed: ok, row, steps };
}
