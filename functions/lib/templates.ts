// The built-in automation templates a business turns on in one call
// (POST /v1/automation/templates/{key}/enable). What each one does when on:
// * appointment_reminders — the appointment reminders (24 h and 1 h before, or the business's
//   offsets from /v1/automation/settings). On unless turned off, as before templates existed.
// * appointment_follow_up — an ordinary workflow (workflows.template_key, so its executions and
//   step log show under /v1/automation/workflows) on appointment.completed with one
//   draft_follow_up step: a draft thank-you note, sent to the appointment's staff member to review.
// * daily_digest — every active staff member's task digest at 08:00 in their own time zone
//   (functions/jobs/digest-sweep.ts).
import type { Action, Trigger } from "./workflows/definition.ts";

export const TEMPLATE_KEYS = ["appointment_reminders", "appointment_follow_up", "daily_digest"] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export const TEMPLATES: Record<TemplateKey, { title: string; description: string }> = {
  appointment_reminders: {
    title: "Appointment reminders",
    description:
      "Reminds an appointment's staff member before it starts (24 h and 1 h by default; change the offsets with PUT /v1/automation/settings). On by default. Turned off, no reminders are queued and queued ones are not sent.",
  },
  appointment_follow_up: {
    title: "Appointment follow-up",
    description:
      "When an appointment is completed, drafts a follow-up note to the customer and sends the draft to the appointment's staff member to review; nothing goes to the customer. Runs as a workflow (workflowId) whose executions show under /v1/automation/workflows.",
  },
  daily_digest: {
    title: "Daily task digest",
    description:
      "Every active staff member gets a digest of their open tasks at 08:00 in their own time zone (their settings' timezone), once per local date; inside their quiet hours it waits until they end.",
  },
};

/** The workflow the follow-up template creates (version 1; enabling again reactivates it). */
export const FOLLOW_UP_WORKFLOW: { name: string; trigger: Trigger; actions: Action[] } = {
  name: "Appointment follow-up (built-in template)",
  trigger: { type: "event", eventType: "appointment.completed" },
  actions: [{ type: "draft_follow_up" }],
};
