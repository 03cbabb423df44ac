// Runs, their trace and approvals, as the caller may see them (RLS: ai.read; approvals also
// ai.approve). Writes go through private.ai_run_start and private.ai_approval_decide only.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { AiApproval, AiRun, AiRunStep } from "./schema.ts";

type RunRow = z.infer<typeof AiRun>;
type StepRow = z.infer<typeof AiRunStep>;
type ApprovalRow = z.infer<typeof AiApproval>;

export const MAY_APPROVE_AI = "select private.has_permission('ai.approve') as allowed";
export const MAY_SEE_APPROVALS = "select (private.has_permission('ai.read') or private.has_permission('ai.approve')) as allowed";
export const APPROVE_FORBIDDEN = "approval requests are decided by members with ai.approve (owners and admins)";
export const APPROVALS_FORBIDDEN = "approval requests are visible to members with ai.read or ai.approve";

const RUN = `r.id, r.worker_id as "workerId", r.kind, r.task, r.input, r.status, r.current_step as "currentStep", r.output,
  r.error_code as "errorCode", r.error, r.tokens_in::float8 as "tokensIn", r.tokens_out::float8 as "tokensOut", r.cost_usd::float8 as "costUsd",
  r.source, r.created_by as "createdBy", r.created_at as "createdAt", r.started_at as "startedAt", r.finished_at as "finishedAt"`;

const STEP = `s.step_index as "stepIndex", s.kind, s.status, s.attempts, s.input, s.tool_calls as "toolCalls", s.output,
  s.error_code as "errorCode", s.error, s.tokens_in as "tokensIn", s.tokens_out as "tokensOut", s.cost_usd::float8 as "costUsd",
  s.reserved_tokens as "reservedTokens", s.duration_ms as "durationMs", s.started_at as "startedAt", s.finished_at as "finishedAt",
  s.next_attempt_at as "nextAttemptAt"`;

const APPROVAL = `a.id, a.run_id as "runId", a.step_index as "stepIndex", a.worker_id as "workerId", a.tool_name as "toolName", a.arguments,
  a.arguments_hash as "argumentsHash", a.risks, a.execution_policy as "executionPolicy", a.settings_policy_version as "settingsPolicyVersion",
  a.worker_policy_version as "workerPolicyVersion", a.status, a.decided_by as "decidedBy", a.decided_at as "decidedAt", a.reason,
  a.executed_at as "executedAt", a.created_at as "createdAt"`;

export const startRun = (q: Queue, p: { workerId: string; task: string; inputs: Record<string, unknown>; sourceKey: string }) =>
  q.one<{ run_id: string | null; kind: string; status: string }>("select * from private.ai_run_start($1, $2, $3::jsonb, $4)", [p.workerId, p.task, JSON.stringify(p.inputs), p.sourceKey]);

export const selectRunBySource = (q: Queue, sourceKey: string) =>
  q.one<RunRow>(`select ${RUN} from public.ai_runs r where r.tenant_id = (select private.current_tenant()) and r.source_key = $1`, [sourceKey]);

export const selectRun = (q: Queue, id: string) =>
  q.one<RunRow>(`select ${RUN} from public.ai_runs r where r.tenant_id = (select private.current_tenant()) and r.id = $1`, [id]);

export const selectSteps = (q: Queue, runId: string) =>
  q.rows<StepRow>(`select ${STEP} from public.ai_run_steps s where s.tenant_id = (select private.current_tenant()) and s.run_id = $1 order by s.step_index`, [runId]);

export const selectRunApprovals = (q: Queue, runId: string) =>
  q.rows<ApprovalRow>(`select ${APPROVAL} from public.ai_approvals a where a.tenant_id = (select private.current_tenant()) and a.run_id = $1 order by a.step_index`, [runId]);

export function listRuns(q: Queue, workerId: string, p: { limit: number; after: unknown[] | null }) {
  return q.rows<RunRow & { _cursor: unknown[] }>(
    `select ${RUN}, json_build_array(r.created_at::text, r.id) as "_cursor" from public.ai_runs r
     where r.tenant_id = (select private.current_tenant()) and r.worker_id = $1
       and ($2::timestamptz is null or (r.created_at, r.id) > ($2, $3::uuid))
     order by r.created_at, r.id limit $4`,
    [workerId, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

export function listApprovals(q: Queue, p: { limit: number; after: unknown[] | null; status?: string }) {
  return q.rows<ApprovalRow & { _cursor: unknown[] }>(
    `select ${APPROVAL}, json_build_array(a.created_at::text, a.id) as "_cursor" from public.ai_approvals a
     where a.tenant_id = (select private.current_tenant())
       and ($1::text is null or a.status = $1)
       and ($2::timestamptz is null or (a.created_at, a.id) > ($2, $3::uuid))
     order by a.created_at, a.id limit $4`,
    [p.status ?? null, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

export const selectApproval = (q: Queue, id: string) =>
  q.one<ApprovalRow>(`select ${APPROVAL} from public.ai_approvals a where a.tenant_id = (select private.current_tenant()) and a.id = $1`, [id]);

export const decideApproval = (q: Queue, id: string, decision: "approve" | "reject", reason: string | null) =>
  q.one<{ outcome: "approved" | "rejected" | "void" | "decided" | "not_found" }>("select private.ai_approval_decide($1, $2, $3) as outcome", [id, decision, reason]);
