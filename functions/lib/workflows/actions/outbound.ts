// Actions with an effect outside the database, each through its seam (ports.ts) with the step's
// exactly-once key, so a retried or redelivered step sends at most once.
import { z } from "zod";
import { checkOutboundUrl, createAgentTask as queueAgentTask, sendMessage } from "../ports.ts";
import { SentOutput, SummaryOutput, TaskCountsOutput } from "./outputs.ts";
import { summarize } from "./summary.ts";
import { defineAction, stepKey } from "./types.ts";

export const sendReminder = defineAction({
  type: "send_reminder",
  output: SentOutput,
  run: (ctx) =>
    sendMessage(ctx.job, { tenantId: ctx.tenantId, userId: ctx.config.userId, subject: "Reminder", text: ctx.config.text, dedupeKey: stepKey(ctx) }),
});

/** The latest summary before this step, else a summary of what came before. */
const latestText = (previous: unknown[]) => {
  for (const out of [...previous].reverse()) {
    const s = SummaryOutput.safeParse(out);
    if (s.success) return s.data.summary.text;
  }
  return summarize(previous).join("\n") || "Nothing to report.";
};

export const sendMessageAction = defineAction({
  type: "send_message",
  output: SentOutput,
  run: (ctx) =>
    sendMessage(ctx.job, {
      tenantId: ctx.tenantId,
      userId: ctx.config.userId,
      subject: ctx.config.subject,
      text: ctx.config.text ?? latestText(ctx.previous),
      dedupeKey: stepKey(ctx),
    }),
});

export const sendDigest = defineAction({
  type: "send_digest",
  output: SentOutput,
  run: (ctx) => {
    const counts = ctx.previous.map((p) => TaskCountsOutput.safeParse(p)).find((r) => r.success);
    const subject = counts?.data ? `Your day: ${counts.data.tasks.open + counts.data.tasks.inProgress} tasks to do` : "Your daily digest";
    // Keyed by its step, like every workflow message. The daily digest's own key,
    // digest:{user}:{local_date}, is the built-in template's (functions/jobs/digest-sweep.ts), whose
    // local date comes from the member's time zone and the job's clock — never from a trigger
    // payload, which a manual run's caller chooses.
    return sendMessage(ctx.job, { tenantId: ctx.tenantId, userId: ctx.config.userId, subject, text: latestText(ctx.previous), dedupeKey: stepKey(ctx) });
  },
});

export const callWebhook = defineAction({
  type: "call_webhook",
  output: z.strictObject({ status: z.number().int() }),
  async run(ctx) {
    const url = await checkOutboundUrl(ctx.config.url);
    // Checked again here, at send time; no redirects (a public URL may redirect inward); the step
    // key lets the receiver dedupe a retried step.
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": stepKey(ctx) },
      body: JSON.stringify({ executionId: ctx.executionId, step: ctx.stepIndex, previous: ctx.previous }),
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status };
  },
});

export const createAgentTask = defineAction({
  type: "create_agent_task",
  output: z.strictObject({ runId: z.string() }),
  run: (ctx) => {
    const fromTrigger = Object.entries(ctx.config.inputFromTrigger ?? {}).flatMap(([field, key]) => (Object.hasOwn(ctx.trigger, key) ? [[field, ctx.trigger[key]]] : []));
    const input = { ...ctx.config.input, ...Object.fromEntries(fromTrigger) };
    return queueAgentTask(ctx.job, { tenantId: ctx.tenantId, workerId: ctx.config.workerId, task: ctx.config.task, input, dedupeKey: stepKey(ctx) });
  },
});
