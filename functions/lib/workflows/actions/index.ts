// Every action a workflow step can run, by type.
import type { ActionType } from "../definition.ts";
import { aggregateTasks, findAppointments } from "./data.ts";
import { callWebhook, createAgentTask, sendDigest, sendMessageAction, sendReminder } from "./outbound.ts";
import { draftFollowUp } from "./follow-up.ts";
import { generateSummary } from "./summary.ts";
import type { ActionDef } from "./types.ts";

export const actions = {
  find_appointments: findAppointments,
  aggregate_tasks: aggregateTasks,
  generate_summary: generateSummary,
  send_reminder: sendReminder,
  send_message: sendMessageAction,
  send_digest: sendDigest,
  call_webhook: callWebhook,
  create_agent_task: createAgentTask,
  draft_follow_up: draftFollowUp,
} satisfies { [T in ActionType]: ActionDef<T> };
