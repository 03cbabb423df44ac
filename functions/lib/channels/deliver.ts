// Sends one reminder to one member through the channels they enabled, exactly once per
// (reminder, channel): the effect row is claimed before the send (its id is the provider's
// idempotency key) and marked sent after it. A redelivery finds it done; a retry after a crash
// between send and mark re-sends with the same key (Resend keeps one email); a concurrent delivery
// finds it claimed and answers 503, so QStash retries it later. Quiet hours (the member's own time
// zone) defer the reminder to their end when that is still in time, and otherwise skip it
// (recorded). Three transactions at most: the caller's read, the claims, the marks (with the
// caller's own record, `finish`), each one flight.
import type { Queue } from "../../../shared/db/tx.ts";
import { ApiError } from "../../../shared/errors.ts";
import type { JobContext } from "../../jobs/types.ts";
import { meter } from "../usage.ts";
import { channels as configuredChannels } from "./index.ts";
import { CHANNELS, type ChannelName } from "./types.ts";

/** Where the member's messages go now (private.notification_target), read with the reminder. */
export interface Target {
  email: string | null;
  telegram_chat_id: string | null;
  quiet_until: string | Date | null;
}

/** SQL columns of private.notification_target for a lateral join on the reminder's user. */
export const TARGET_COLUMNS = "nt.email, nt.telegram_chat_id, nt.quiet_until";

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
export type ReminderOutcome<F> =
  | { status: "deferred"; until: string }
  | { status: "done"; channels: Partial<Record<ChannelName, ChannelOutcome>>; finished: F };

// budget: the business's daily message budget is used up; recorded skipped ('budget'), not sent.
type Claim = { id: string; decision: "send" | "busy" | "done" | "budget" };

export async function sendReminder<F>(ctx: JobContext, r: ReminderToSend, target: Target, finish: (q: Queue) => Promise<F>): Promise<ReminderOutcome<F>> {
  const addresses: Record<ChannelName, string | null> = { email: target.email, telegram: target.telegram_chat_id };
  const wanted = CHANNELS.filter((c) => !r.only || r.only.includes(c));
  const reachable = wanted.filter((c) => addresses[c]);
  const result: Partial<Record<ChannelName, ChannelOutcome>> = Object.fromEntries(wanted.filter((c) => !addresses[c]).map((c) => [c, "not enabled"]));

  if (target.quiet_until) {
    const until = new Date(target.quiet_until);
    if (!r.notAfter || until < r.notAfter) {
      const dedupe = `${r.key}:after-quiet:${until.toISOString()}`;
      await ctx.tx((q) => q.one("select private.defer_reminder($1, $2, $3, $4::jsonb, $5) as deferred", [r.tenantId, r.job, dedupe, JSON.stringify(r.payload), until.toISOString()]));
      return { status: "deferred", until: until.toISOString() };
    }
    const finished = await ctx.tx(async (q) => {
      const [, done] = await Promise.all([
        Promise.all(reachable.map((c) => q.one("select private.notification_skipped($1, $2, $3, $4, 'quiet_hours') as skipped", [r.tenantId, r.key, c, r.userId]))),
        finish(q),
      ]);
      return done;
    });
    for (const c of reachable) result[c] = "skipped";
    return { status: "done", channels: result, finished };
  }

  const claims = reachable.length
    ? await ctx.tx((q) =>
        Promise.all(reachable.map((c) => q.one<Claim>("select id, decision from private.claim_notification($1, $2, $3, $4)", [r.tenantId, r.key, c, r.userId]))),
      )
    : [];
  const providers = configuredChannels(ctx.env);
  const toSend = reachable.flatMap((channel, i) => {
    const claim = claims[i]!;
    if (claim.decision === "done") result[channel] = "duplicate";
    if (claim.decision === "budget") result[channel] = "skipped";
    return claim.decision === "send" ? [{ channel, claim }] : [];
  });
  const sent = await Promise.allSettled(
    toSend.map(({ channel, claim }) => providers[channel].send({ to: addresses[channel]!, subject: r.subject, text: r.text, idempotencyKey: claim.id })),
  );
  const delivered = toSend.flatMap((s, i) => {
    const outcome = sent[i]!;
    if (outcome.status === "fulfilled") return [{ ...s, providerId: outcome.value.providerId }];
    ctx.log("warn", "a channel refused a reminder; QStash retries it", { channel: s.channel, key: r.key, error: String(outcome.reason) });
    return [];
  });
  const busy = reachable.some((_, i) => claims[i]!.decision === "busy");
  const complete = delivered.length === toSend.length && !busy;
  // Marks what went out; the caller's own record only once every channel is done.
  const [marks, finished] = await ctx.tx((q) =>
    Promise.all([
      Promise.all(delivered.map((d) => q.one<{ first: boolean }>("select private.notification_sent($1, $2, $3) as first", [r.tenantId, d.claim.id, d.providerId]))),
      complete ? finish(q) : Promise.resolve(undefined),
    ]),
  );
  // A delivered reminder is a successful outcome for the business (metered once: the first mark).
  const firsts = marks.filter((m) => m?.first).length;
  if (firsts) await meter(ctx.redis, r.tenantId, "successful_outcomes", firsts, ctx.now);
  for (const d of delivered) result[d.channel] = "sent";
  if (!complete) throw new ApiError("unavailable", busy ? `another delivery is sending ${r.key}; retry` : `a channel refused ${r.key}; retry`);
  return { status: "done", channels: result, finished: finished as F };
}
