// Seams to capabilities other branches build. Each is one function the actions call; until the
// capability is merged it answers with a typed StepError (non-retryable: retrying cannot make a
// missing capability appear), never a fake result.
//
// INTEGRATOR ADAPTERS — replace the bodies below when the branches merge:
//   * sendMessage  → the channels branch (issue13-channels): deliver through the user's
//     notification settings, exactly once per dedupeKey, and return the outbound message id.
//   * checkOutboundUrl → functions/lib/ssrf (issue13-webhooks): refuse non-public targets.
//   * createAgentTask → AI workers (issue 14).
import type { JobContext } from "../../jobs/types.ts";
import { StepError } from "./errors.ts";

export interface OutboundMessage {
  tenantId: string;
  userId: string;
  subject: string;
  text: string;
  /** Exactly-once key of the effect, e.g. wf:{execution}:{step} or digest:{user}:{local_date}. */
  dedupeKey: string;
}

export interface SentMessage {
  /** The channel's message id (one per dedupeKey, also when sent again). */
  messageId: string;
  channel: string;
}

// ADAPTER (channels): until issue13-channels merges there is no channel to send through.
export async function sendMessage(_ctx: JobContext, _message: OutboundMessage): Promise<SentMessage> {
  throw new StepError("channel_not_available", "no message channel is configured on this server yet", false);
}

// ADAPTER (ssrf): until functions/lib/ssrf merges no outbound URL is known to be safe, so none is called.
export async function checkOutboundUrl(_url: string): Promise<URL> {
  throw new StepError("ssrf_guard_not_available", "outbound calls are refused until the SSRF guard is available", false);
}

// ADAPTER (agents, issue 14): no AI workers exist yet.
export async function createAgentTask(_ctx: JobContext, _task: { tenantId: string; task: string; dedupeKey: string }): Promise<{ runId: string }> {
  throw new StepError("agent_workers_not_available", "AI workers are not available yet (issue 14)", false);
}
