// Runs one delivery of one step: claim it (a duplicate, late or early delivery claims nothing and
// is a no-op), run its action, then store the typed output and queue the next step — or record
// the failure and queue the same step's next attempt with backoff — in one transaction each.
// The execution therefore resumes from the failed step, never from the start.
import { isPlanId } from "../../../shared/plans.ts";
import { meter } from "../usage.ts";
import { taskRunQuotaExceeded } from "./quota.ts";
import type { JobContext } from "../../jobs/types.ts";
import { actions } from "./actions/index.ts";
import type { ActionDef, StepContext } from "./actions/types.ts";
import { Action } from "./definition.ts";
import { StepDeferred, StepError } from "./errors.ts";

export const MAX_ATTEMPTS = 5;
/**
 * 10 s, 20 s, 40 s, 80 s: the delay before attempt n + 1. The base is WORKFLOW_RETRY_BASE_SECONDS
 * (10, the only value a deployed environment accepts; shared/env.ts), shortened by e2e tests.
 */
export const backoffSeconds = (attempt: number, baseSeconds = 10) => Math.min(baseSeconds * 2 ** (attempt - 1), 900);

export interface StepDelivery {
  tenantId: string;
  executionId: string;
  stepIndex: number;
  attempt: number;
}

type Claim = { action: unknown; previous: unknown[]; trigger_payload: Record<string, unknown>; workflow_id: string; step_count: number };

export async function runStep(job: JobContext, d: StepDelivery): Promise<Record<string, unknown>> {
  const args = [d.tenantId, d.executionId, d.stepIndex, d.attempt];
  // Before an execution's first step first runs: over the task_runs quota, it is refused.
  if (d.stepIndex === 0 && d.attempt === 1) {
    const plan = await job.tx((q) => q.one<{ plan: string | null }>("select private.workflow_tenant_plan($1) as plan", [d.tenantId]));
    const reason = await taskRunQuotaExceeded(job.redis, d.tenantId, isPlanId(plan?.plan) ? plan.plan : "free", job.now);
    if (reason) {
      const refused = await job.tx((q) => q.one<{ refused: boolean }>("select private.workflow_refuse($1, $2, $3) as refused", [d.tenantId, d.executionId, reason]));
      return { outcome: refused?.refused ? "refused" : "noop", reason: "quota" };
    }
  }
  const claim = await job.tx((q) => q.one<Claim>("select * from private.workflow_step_claim($1, $2, $3, $4)", args));
  if (!claim) return { outcome: "noop" };
  // The claim of an execution's first step happens once per execution: one task run.
  if (d.stepIndex === 0 && d.attempt === 1) await meter(job.redis, d.tenantId, "task_runs", 1, job.now);

  let output: unknown;
  try {
    const parsed = Action.safeParse(claim.action);
    if (!parsed.success) throw new StepError("invalid_input", "the stored action does not match its schema", false);
    const def = actions[parsed.data.type] as unknown as ActionDef;
    const ctx: StepContext = { job, tenantId: d.tenantId, executionId: d.executionId, stepIndex: d.stepIndex, config: parsed.data, previous: claim.previous, trigger: claim.trigger_payload };
    output = def.output.parse(await def.run(ctx));
  } catch (e) {
    if (e instanceof StepDeferred) {
      // Not a failed attempt: the same attempt runs again when the wait is over.
      const row = await job.tx((q) =>
        q.one<{ outcome: string }>("select private.workflow_step_deferred($1, $2, $3, $4, $5, $6) as outcome", [...args, e.until.toISOString(), e.reason]),
      );
      return { outcome: row?.outcome, deferredUntil: e.until.toISOString() };
    }
    const err = e instanceof StepError ? e : new StepError("transient", "the step failed; it is retried", true);
    if (!(e instanceof StepError)) job.log("warn", "workflow step failed", { executionId: d.executionId, step: d.stepIndex, error: String(e) });
    // The backoff counts from the failure, not from the delivery's arrival (job.now): a slow step
    // (call_webhook waits up to 10 s) would otherwise use up its own backoff and retry at once.
    const failedAt = Math.max(Date.now(), job.now.getTime());
    const retryAt = err.retryable && d.attempt < MAX_ATTEMPTS ? new Date(failedAt + backoffSeconds(d.attempt, job.env.WORKFLOW_RETRY_BASE_SECONDS) * 1000).toISOString() : null;
    const row = await job.tx((q) =>
      q.one<{ outcome: string }>("select private.workflow_step_failed($1, $2, $3, $4, $5, $6) as outcome", [...args, `${err.code}: ${err.message}`, retryAt]),
    );
    return { outcome: row?.outcome, error: err.code, retryAt };
  }
  const row = await job.tx((q) =>
    q.one<{ outcome: string }>("select private.workflow_step_succeeded($1, $2, $3, $4, $5) as outcome", [...args, JSON.stringify(output)]),
  );
  if (row?.outcome === "succeeded") await meter(job.redis, d.tenantId, "successful_outcomes", 1, job.now);
  return { outcome: row?.outcome };
}
