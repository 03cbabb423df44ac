// A workflow's definition: its trigger and its ordered, typed actions. The same schemas validate
// what a member writes (routes) and what a step reads back from its version (the step job), so a
// stored version is always one the code can run.
import { z } from "@hono/zod-openapi";
import { Cron } from "croner";
import { DOMAIN_EVENT_TYPES } from "../../../shared/schemas/domain-events.ts";
import { checkOutboundUrl } from "../ssrf/index.ts";

const Uuid = z.uuid();

/** A rule names one of the types the event log writes (domain_events); each starts its workflows. */
export const EVENT_TYPES = DOMAIN_EVENT_TYPES;

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const validCron = (expr: string) => {
  try {
    new Cron(expr, { paused: true });
    return true;
  } catch {
    return false;
  }
};

/** A scheduled workflow runs at most this often: a tight cron would flood the business's members. */
export const MIN_SCHEDULE_INTERVAL_MINUTES = 15;

/**
 * The shortest gap between two runs of a cron expression, in minutes, over its next runs. A
 * minute field with two values closer than the minimum shows it in the first hour it matches,
 * and a gap across an hour or day boundary within the first runs; 200 runs from a fixed instant
 * (the gaps are the same every day) see both.
 */
export function shortestCronGapMinutes(expr: string): number {
  const runs = new Cron(expr, { paused: true, timezone: "UTC" }).nextRuns(200, new Date(Date.UTC(2030, 0, 1)));
  let shortest = Infinity;
  for (let i = 1; i < runs.length; i++) shortest = Math.min(shortest, (runs[i]!.getTime() - runs[i - 1]!.getTime()) / 60_000);
  return shortest;
}

export const Trigger = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("manual") }),
    z.strictObject({
      type: z.literal("scheduled"),
      cron: z
        .string()
        .min(9)
        .max(100)
        .refine(validCron, "must be a 5-field cron expression")
        .refine((expr) => !validCron(expr) || shortestCronGapMinutes(expr) >= MIN_SCHEDULE_INTERVAL_MINUTES, {
          message: `must not run more often than every ${MIN_SCHEDULE_INTERVAL_MINUTES} minutes`,
        }),
      timeZone: z.string().min(1).max(64).refine(validTimeZone, "must be an IANA time zone, e.g. Europe/Berlin"),
    }),
    z.strictObject({ type: z.literal("event"), eventType: z.enum(EVENT_TYPES) }),
    z.strictObject({ type: z.literal("webhook") }),
  ])
  .openapi("WorkflowTrigger");
export type Trigger = z.infer<typeof Trigger>;

const Text = z.string().min(1).max(2000);

export const Action = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("find_appointments"),
      /** Window start, relative to when the step runs. */
      fromHours: z.number().int().min(-720).max(720).default(0),
      withinHours: z.number().int().min(1).max(720).default(24),
      status: z.enum(["scheduled", "cancelled", "completed"]).optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    z.strictObject({ type: z.literal("aggregate_tasks"), assignedTo: Uuid.optional() }),
    z.strictObject({ type: z.literal("generate_summary"), title: z.string().min(1).max(200).default("Summary") }),
    z.strictObject({ type: z.literal("send_reminder"), userId: Uuid, text: Text }),
    z.strictObject({ type: z.literal("send_message"), userId: Uuid, subject: z.string().min(1).max(200), text: Text.optional() }),
    z.strictObject({ type: z.literal("send_digest"), userId: Uuid }),
    z.strictObject({
      type: z.literal("call_webhook"),
      // Refused when saved and again when sent (ports.ts): https on a public host only.
      url: z
        .url({ protocol: /^https$/ })
        .max(2000)
        .superRefine((url, ctx) => {
          const verdict = checkOutboundUrl(url);
          if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.reason });
        }),
    }),
    // Queues a run of an AI worker's task (issue 14). Its input: `input`, plus each field of
    // `inputFromTrigger` copied from the trigger's payload (e.g. {"appointmentId": "appointmentId"}).
    z.strictObject({
      type: z.literal("create_agent_task"),
      workerId: Uuid,
      task: z.string().min(1).max(63),
      input: z.record(z.string(), z.unknown()).optional(),
      inputFromTrigger: z.record(z.string().min(1).max(63), z.string().min(1).max(63)).optional(),
    }),
    // For an appointment event (appointment.completed): drafts a follow-up to the customer and
    // sends the draft to the appointment's staff member to review — never to the customer.
    z.strictObject({ type: z.literal("draft_follow_up") }),
  ])
  .openapi("WorkflowAction");
export type Action = z.infer<typeof Action>;
export type ActionType = Action["type"];

export const Actions = z.array(Action).min(1).max(20);
