// The capabilities workflow actions reach outside the database, one function each: messages
// through the member's channels (functions/lib/channels), outbound URLs through the SSRF guard
// (functions/lib/ssrf), and agent tasks (runs of AI workers, functions/lib/ai/runs).
import type { JobContext } from "../../jobs/types.ts";
import { sendReminder, TARGET_COLUMNS, type Target } from "../channels/deliver.ts";
import { checkOutboundUrl as judgeUrl } from "../ssrf/index.ts";
import { StepDeferred, StepError } from "./errors.ts";
import { checkTaskInput } from "../ai/contracts/validate.ts";
import { isPgError } from "../../../shared/db/errors.ts";

export interface OutboundMessage {
  tenantId: string;
  userId: string;
  subject: string;
  text: string;
  /** Exactly-once key of the effect, e.g. wf:{execution}:{step} or digest:{user}:{local_date}. */
  dedupeKey: string;
}

export interface SentMessage {
  /** The effect's key: one message per channel for it, however often the step runs. */
  key: string;
  /** Per channel: sent, duplicate (sent before) or not enabled. */
  channels: Record<string, string>;
}

/**
 * One message to a member through the channels they enabled, exactly once per (dedupeKey,
 * channel), as reminders are (claim, send with the claim as idempotency key, mark). A message due
 * in the member's quiet hours defers the step (StepDeferred): it runs again when they end.
 */
export async function sendMessage(ctx: JobContext, m: OutboundMessage): Promise<SentMessage> {
  const target = await ctx.tx((q) => q.one<Target>(`select ${TARGET_COLUMNS} from private.notification_target($1, $2, $3) nt`, [m.tenantId, m.userId, ctx.now.toISOString()]));
  if (!target) throw new StepError("recipient_not_found", "the recipient is not an active staff member of this business", false);
  if (target.quiet_until) throw new StepDeferred(new Date(target.quiet_until), "the recipient's quiet hours");
  const outcome = await sendReminder(
    ctx,
    { tenantId: m.tenantId, key: m.dedupeKey, userId: m.userId, subject: m.subject, text: m.text, notAfter: ctx.now, job: "workflow-step", payload: {} },
    target,
    async () => undefined,
  );
  return { key: m.dedupeKey, channels: outcome.status === "done" ? outcome.channels : {} };
}

/** The URL, if the SSRF guard finds it public (https, no credentials, public host in any notation). */
export async function checkOutboundUrl(url: string): Promise<URL> {
  const verdict = judgeUrl(url);
  if (!verdict.ok) throw new StepError("url_refused", verdict.reason, false);
  return verdict.url;
}

/**
 * Queues a run of an AI worker's task (issue 14), once per workflow step (the dedupe key is the
 * run's source key): the worker must be in this tenant and active, and the input must match the
 * task's contract. Failures are typed and final (retrying cannot change them).
 */
export async function createAgentTask(ctx: JobContext, t: { tenantId: string; workerId: string; task: string; input: Record<string, unknown>; dedupeKey: string }): Promise<{ runId: string }> {
  const worker = await ctx.tx((q) => q.one<{ kind: string; status: string }>("select * from private.ai_worker_kind($1, $2)", [t.tenantId, t.workerId]));
  if (!worker) throw new StepError("agent_worker_not_found", "no such AI worker in this business", false);
  const checked = checkTaskInput(worker.kind, t.task, t.input);
  if (!checked.ok) throw new StepError("invalid_input", `${checked.violation.code}: ${checked.violation.message}`, false);
  try {
    const row = await ctx.tx((q) => q.one<{ id: string }>("select private.ai_run_start_job($1, $2, $3, $4::jsonb, $5) as id", [t.tenantId, t.workerId, t.task, JSON.stringify(checked.value), t.dedupeKey]));
    return { runId: row!.id };
  } catch (e) {
    if (isPgError(e) && e.message === "worker_not_active") throw new StepError("agent_worker_inactive", `the AI worker is ${worker.status}`, false);
    throw e;
  }
}
