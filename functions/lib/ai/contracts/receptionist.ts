// receptionist: triages incoming customer messages into tasks and drafts replies; sending a reply
// to a customer is a risky action (approval under hybrid and manual policies).
import { z } from "zod";
import { defineKind } from "./types.ts";

const Uuid = z.uuid();

export const receptionist = defineKind({
  kind: "receptionist",
  version: 1,
  title: "Receptionist",
  description: "Triages incoming customer messages into tasks and drafts replies; sending a reply to a customer needs approval unless the policy is autonomous.",
  config: z.strictObject({
    defaultAssigneeId: Uuid.optional(),
    signature: z.string().min(1).max(500).optional(),
  }),
  tasks: {
    triage_message: {
      description: "Turn an incoming customer message into a task for the right person.",
      input: z.strictObject({ customerId: Uuid, text: z.string().min(1).max(8000), channel: z.enum(["email", "telegram", "web"]) }),
      output: z.strictObject({ taskId: Uuid.nullable(), priority: z.enum(["low", "normal", "high"]), reason: z.string().min(1).max(500) }),
      tools: ["find_customer_history", "create_task"],
      risk: "write",
    },
    reply_to_customer: {
      description: "Draft a reply to a customer's message and send it.",
      input: z.strictObject({ customerId: Uuid, text: z.string().min(1).max(8000) }),
      output: z.strictObject({ subject: z.string().min(1).max(200), body: z.string().min(1).max(4000), sent: z.boolean() }),
      tools: ["find_customer_history", "draft_message", "send_customer_message"],
      risk: "risky",
    },
  },
});
