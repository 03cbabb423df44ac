// office_assistant: summaries, follow-ups and task digests. It drafts; it never sends to a customer.
import { z } from "zod";
import { defineKind } from "./types.ts";

const Uuid = z.uuid();
const Summary = z.strictObject({ summary: z.string().min(1).max(8000), highlights: z.array(z.string().min(1).max(500)).max(20) });

export const officeAssistant = defineKind({
  kind: "office_assistant",
  version: 1,
  title: "Office assistant",
  description: "Summarizes a customer's history and a person's open tasks, drafts appointment follow-ups for a person to review, triages messages into tasks and tidies obsolete tasks.",
  config: z.strictObject({
    tone: z.enum(["formal", "friendly", "brief"]).default("friendly"),
    language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "a language tag such as de or en-US").default("en"),
  }),
  tasks: {
    summarize_customer: {
      description: "Summarize a customer's history (appointments and tasks).",
      input: z.strictObject({ customerId: Uuid }),
      output: Summary,
      tools: ["find_customer_history"],
      risk: "read",
    },
    draft_follow_up: {
      description: "Draft a follow-up message after an appointment, stored as a draft for its staff member.",
      input: z.strictObject({ appointmentId: Uuid }),
      output: z.strictObject({ subject: z.string().min(1).max(200), body: z.string().min(1).max(4000) }),
      tools: ["find_customer_history", "draft_message"],
      risk: "write",
    },
    summarize_tasks: {
      description: "Summarize a person's open tasks.",
      input: z.strictObject({ memberId: Uuid }),
      output: Summary,
      tools: ["list_open_tasks"],
      risk: "read",
    },
    triage_message: {
      description: "Turn an incoming message into a task.",
      input: z.strictObject({ text: z.string().min(1).max(8000), customerId: Uuid.optional() }),
      output: z.strictObject({ taskId: Uuid.nullable(), reason: z.string().min(1).max(500) }),
      tools: ["create_task"],
      risk: "write",
    },
    tidy_tasks: {
      description: "Review a person's open tasks and delete the ones that are obsolete or duplicated (a delete needs approval under hybrid and manual policies).",
      input: z.strictObject({ memberId: Uuid }),
      output: z.strictObject({ deleted: z.array(Uuid).max(200), reason: z.string().min(1).max(500) }),
      tools: ["list_open_tasks", "delete_task"],
      risk: "risky",
    },
  },
});
