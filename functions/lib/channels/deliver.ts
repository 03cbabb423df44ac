// Sends one reminder to one member through the channels they enabled, exactly once per
// (reminder, channel): the effect row is claimed before the send (its id is the provider's
// idempotency key) and marked sent after it. A redelivery finds it done; a retry after a crash
// between send and mark re-sends with the same key (Resend keeps one email); a concurrent delivery
// finds it claimed and is retried by QStash later. Quiet hours (the member's own time zone) defer
// the reminder to their end when that is still in time, and otherwise skip it (recorded).
import { ApiError } from "../../../shared/errors.ts";
import type { JobContext } from "../../jobs/types.ts";
import { meter } from "../usage.ts";
import { channels as configuredChannels } from "./index.ts";
import { CHANNELS, type ChannelName } from "./types.ts";

export interface ReminderToSend {
  tenantId: string;
  /** The reminder's dedupe id: with the channel, the effect's unique key. */
  key: string;
  userId: string;
  subject: string;
  text: string;
  /** Restricts the channels (an ad-hoc reminder's choice); the member's settings still apply. */
  only?: readonly ChannelName[] | null;
  /** Past this instant a deferred reminder is pointless (the appointment's start). */
  notAfter?: Date;
  /** How to run this reminder again after quiet hours: its job and payload. */
  job: string;
  payload: Record<string, unknown>;
}

export type ChannelOutcome = "sent" | "duplicate" | "skipped" | "not enabled";
export type ReminderOutcome =
  | { status: "no recipient" }
  | { status: "deferred"; until: string }
  | { status: "done"; channels: Partial<Record<ChannelName, ChannelOutcome>> };

type Target = { email: string | null; telegram_chat_id: string | null; quiet_until: string | Date | null };


export async function sendReminder(ctx: JobContext, r: ReminderToSend): Promise<ReminderOutcome> {
  const target = await ctx.tx((q) =>
    q.one<Target>("select email, telegram_chat_id, quiet_until from private.notification_target($1, $2, $3)", [r.tenantId, r.userId, ctx.now.toISOString()]),
  );
  if (!target) return { status: "no recipient" };
  const addresses: Record<ChannelName, string | null> = { email: target.email, telegram: target.telegram_chat_id };
  const wanted = CHANNELS.filter((c) => !r.only || r.only.includes(c));
  const result: Partial<Record<ChannelName, ChannelOutcome>> = {};

  if (target.quiet_until) {
    const until = new Date(target.quiet_until);
    if (!r.notAfter || until < r.notAfter) {
      const dedupe = `${r.key}:after-quiet:${until.toISOString()}`;
      await ctx.tx((q) => q.one("select private.defer_reminder($1, $2, $3, $4::jsonb, $5) as deferred", [r.tenantId, r.job, dedupe, JSON.stringify(r.payload), until.toISOString()]));
      return { status: "deferred", until: until.toISOString() };
    }
    for (const channel of wanted.filter((c) => addresses[c])) {
      await ctx.tx((q) => q.one("select private.notification_skipped($1, $2, $3, $4, 'quiet_hours') as skipped", [r.tenantId, r.key, channel, r.userId]));
      result[channel] = "skipped";
    }
    return { status: "done", channels: result };
  }

  const providers = configuredChannels(ctx.env);
  for (const channel of wanted) {
    const to = addresses[channel];
    if (!to) {
      result[channel] = "not enabled";
      continue;
    }
    const claim = await ctx.tx((q) =>
      q.one<{ id: string; decision: "send" | "busy" | "done" }>("select id, decision from private.claim_notification($1, $2, $3, $4)", [r.tenantId, r.key, channel, r.userId]),
    );
    if (!claim || claim.decision === "busy") throw new ApiError("unavailable", `another delivery is sending ${r.key} on ${channel}; retry`);
    if (claim.decision === "done") {
      result[channel] = "duplicate";
      continue;
    }
    const sent = await providers[channel].send({ to, subject: r.subject, text: r.text, idempotencyKey: claim.id });
    const marked = await ctx.tx((q) => q.one<{ first: boolean }>("select private.notification_sent($1, $2, $3) as first", [r.tenantId, claim.id, sent.providerId]));
    // A delivered reminder is a successful outcome for the business (metered once: the first mark).
    if (marked?.first) await meter(ctx.redis, r.tenantId, "successful_outcomes", 1, ctx.now);
    result[channel] = "sent";
  }
  return { status: "done", channels: result };
}
