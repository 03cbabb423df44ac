// The capabilities workflow actions reach outside the database, one function each: messages
// through the member's channels (functions/lib/channels), outbound URLs through the SSRF guard
// (functions/lib/ssrf), and agent tasks (AI workers, issue 14: a typed error until they exist;
// non-retryable, since retrying cannot make a missing capability appear).
import type { JobContext } from "../../jobs/types.ts";
import { sendReminder, TARGET_COLUMNS, type Target } from "../channels/deliver.ts";
import { checkOutboundUrl as judgeUrl } from "../ssrf/index.ts";
import { StepDeferred, StepError } from "./errors.ts";

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

// AI workers (issue 14) do not exist yet.
export async function createAgentTask(_ctx: JobContext, _task: { tenantId: string; task: string; dedupeKey: string }): Promise<{ runId: string }> {
  throw new StepError("agent_workers_not_available", "AI workers are not available yet (issue 14)", false);
}
