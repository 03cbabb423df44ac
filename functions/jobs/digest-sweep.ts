// The daily task digest (built-in template `daily_digest`): one global QStash schedule
// (`digest-sweep`, every 15 minutes) runs this job, which finds the active staff members of
// businesses with the template on whose own local time (user_settings.timezone) is 08:00 or later
// on a local date without a digest yet (private.digest_due), and sends each one their digest
// through their channels, exactly once per (digest:{user}:{local_date}, channel) — the same
// claim / send with the claim's id as idempotency key / mark as reminders. The local date comes
// from the member's time zone and the job's own clock, never from the payload (which is ignored).
//
// A digest due inside the member's quiet hours is deferred: its row says until when, and a sweep
// is queued for that instant (private.digest_defer). Batches of BATCH members, each batch one
// transaction to read, one to claim, one to mark and record; at most MAX_BATCHES per fire — the
// rest is due at the next fire, 15 minutes later.
import { z } from "zod";
import { channels as configuredChannels } from "../lib/channels/index.ts";
import { CHANNELS, type ChannelName } from "../lib/channels/types.ts";
import { meter } from "../lib/usage.ts";
import { defineJob, type JobContext } from "./types.ts";

export const DIGEST_SWEEP_SCHEDULE_ID = "digest-sweep";
export const DIGEST_SWEEP_CRON = "*/15 * * * *";
export const DIGEST_HOUR = "08:00";
const BATCH = 25;
const MAX_BATCHES = 4;

export const digestKey = (userId: string, localDate: string) => `digest:${userId}:${localDate}`;

type Tasks = { open: number; inProgress: number; blocked: number; overdue: number; next: { title: string; dueAt: string | null }[] };
type Due = {
  tenant_id: string;
  user_id: string;
  local_date: string;
  time_zone: string;
  local_time: string;
  email: string | null;
  telegram_chat_id: string | null;
  quiet_until: string | Date | null;
  tasks: Tasks;
};
type Claim = { id: string; decision: "send" | "busy" | "done" | "budget" };

/** The digest's text: deterministic for the same tasks, so a re-sent channel sends the same words. */
export function digestMessage(d: Pick<Due, "local_date" | "local_time" | "time_zone" | "tasks">): { subject: string; text: string } {
  const t = d.tasks;
  const lines = [
    `Good morning! Your tasks for ${d.local_date} (as of ${d.local_time} ${d.time_zone}):`,
    `${t.open} open, ${t.inProgress} in progress, ${t.blocked} blocked, ${t.overdue} overdue.`,
  ];
  if (t.next.length) lines.push("Next up:", ...t.next.map((n) => `- ${n.title}${n.dueAt ? ` (due ${new Date(n.dueAt).toISOString()})` : ""}`));
  return { subject: `Your digest for ${d.local_date}: ${t.open + t.inProgress} tasks to do`, text: lines.join("\n") };
}

type Result = { userId: string; tenantId: string; localDate: string; outcome: "sent" | "skipped" | "deferred" | "busy" | "failed"; until?: string; channels?: Record<string, string> };

async function sendBatch(ctx: JobContext, due: Due[]): Promise<Result[]> {
  const dateOf = (d: Due) => d.local_date;
  const quiet = due.filter((d) => d.quiet_until);
  const active = due.filter((d) => !d.quiet_until);
  const address = (d: Due, c: ChannelName) => (c === "email" ? d.email : d.telegram_chat_id);
  const pairs = active.flatMap((d) => CHANNELS.filter((c) => address(d, c)).map((channel) => ({ d, channel })));

  // One transaction: defer the quiet ones, claim every (digest, channel) of the others.
  const [, claims] = await ctx.tx((q) =>
    Promise.all([
      Promise.all(quiet.map((d) => q.one("select private.digest_defer($1, $2, $3, $4, $5) as ok", [d.tenant_id, d.user_id, dateOf(d), d.time_zone, new Date(d.quiet_until!).toISOString()]))),
      Promise.all(pairs.map(({ d, channel }) => q.one<Claim>("select id, decision from private.claim_notification($1, $2, $3, $4)", [d.tenant_id, digestKey(d.user_id, dateOf(d)), channel, d.user_id]))),
    ]),
  );

  const providers = configuredChannels(ctx.env);
  const sends = await Promise.allSettled(
    pairs.map(({ d, channel }, i) => {
      const claim = claims[i]!;
      if (claim.decision !== "send") return Promise.resolve(null);
      const m = digestMessage({ ...d, local_date: dateOf(d) });
      return providers[channel].send({ to: address(d, channel)!, subject: m.subject, text: m.text, idempotencyKey: claim.id });
    }),
  );

  // Per member: every channel sent now or before → record the digest; any busy or failed → leave
  // it due (another sweep holds it, or the next fire retries with the same idempotency key).
  const results: Result[] = quiet.map((d) => ({ userId: d.user_id, tenantId: d.tenant_id, localDate: dateOf(d), outcome: "deferred", until: new Date(d.quiet_until!).toISOString() }));
  const marks: { tenantId: string; claimId: string; providerId: string }[] = [];
  const records: { d: Due; status: "sent" | "skipped"; channels: Record<string, string> }[] = [];
  for (const d of active) {
    const channels: Record<string, string> = {};
    let complete = true;
    let busy = false;
    for (const c of CHANNELS) if (!address(d, c)) channels[c] = "not enabled";
    pairs.forEach((p, i) => {
      if (p.d !== d) return;
      const claim = claims[i]!;
      const sent = sends[i]!;
      if (claim.decision === "done") channels[p.channel] = "duplicate";
      // Over the business's daily message budget: recorded skipped by the claim, nothing sent.
      else if (claim.decision === "budget") channels[p.channel] = "skipped";
      else if (claim.decision === "busy") {
        busy = true;
        complete = false;
      }
      else if (sent.status === "fulfilled" && sent.value) {
        channels[p.channel] = "sent";
        marks.push({ tenantId: d.tenant_id, claimId: claim.id, providerId: sent.value.providerId });
      } else {
        complete = false;
        ctx.log("warn", "a channel refused a digest; the next sweep retries it", { channel: p.channel, key: digestKey(d.user_id, dateOf(d)), error: sent.status === "rejected" ? String(sent.reason) : "" });
      }
    });
    const reachable = CHANNELS.some((c) => address(d, c));
    if (complete) records.push({ d, status: reachable ? "sent" : "skipped", channels });
    results.push({ userId: d.user_id, tenantId: d.tenant_id, localDate: dateOf(d), outcome: complete ? (reachable ? "sent" : "skipped") : busy ? "busy" : "failed", channels });
  }
  if (marks.length === 0 && records.length === 0) return results;

  // One transaction: mark what went out, record each finished digest.
  const [marked, recorded] = await ctx.tx((q) =>
    Promise.all([
      Promise.all(marks.map((m) => q.one<{ first: boolean }>("select private.notification_sent($1, $2, $3) as first", [m.tenantId, m.claimId, m.providerId]))),
      Promise.all(
        records.map((r) =>
          q.one<{ first: boolean }>("select private.digest_record($1, $2, $3, $4, $5, $6::jsonb, $7) as first", [
            r.d.tenant_id, r.d.user_id, dateOf(r.d), r.d.time_zone, r.status, JSON.stringify(r.channels), ctx.now.toISOString(),
          ]),
        ),
      ),
    ]),
  );
  // Metering: one task run per digest, one successful outcome per message that went out (first mark).
  const perTenant = new Map<string, { runs: number; outcomes: number }>();
  const bump = (tenantId: string, key: "runs" | "outcomes") => {
    const v = perTenant.get(tenantId) ?? { runs: 0, outcomes: 0 };
    v[key]++;
    perTenant.set(tenantId, v);
  };
  marks.forEach((m, i) => marked[i]?.first && bump(m.tenantId, "outcomes"));
  records.forEach((r, i) => recorded[i]?.first && bump(r.d.tenant_id, "runs"));
  for (const [tenantId, v] of perTenant) {
    if (v.runs) await meter(ctx.redis, tenantId, "task_runs", v.runs, ctx.now);
    if (v.outcomes) await meter(ctx.redis, tenantId, "successful_outcomes", v.outcomes, ctx.now);
  }
  return results;
}

export const digestSweep = defineJob({
  name: "digest-sweep",
  // Whatever a delivery carries is ignored: who is due, and for which local date, is computed here.
  payload: z.looseObject({}),
  async run(ctx) {
    const results: Result[] = [];
    for (let i = 0; i < MAX_BATCHES; i++) {
      const due = await ctx.tx((q) => q.rows<Due>(
          "select tenant_id, user_id, local_date::text as local_date, time_zone, local_time, email, telegram_chat_id, quiet_until, tasks from private.digest_due($1, $2)",
          [ctx.now.toISOString(), BATCH],
        ),
      );
      if (due.length === 0) break;
      const batch = await sendBatch(ctx, due);
      results.push(...batch);
      // Members left due (busy, refused) would come back in the next batch: stop here instead.
      if (due.length < BATCH || batch.some((r) => r.outcome === "busy" || r.outcome === "failed")) break;
    }
    return { at: ctx.now.toISOString(), digests: results };
  },
});
