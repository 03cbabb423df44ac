// The tools an AI worker may call, one zod schema of arguments each, and what makes a call risky.
// A task's contract names the tools it may use (contracts/); the runtime validates every proposed
// call against the tool's schema and the contract before anything executes, and asks the
// execution policy whether a risky one needs an approval first.
import { z } from "zod";

const Uuid = z.uuid();
const Text = z.string().min(1).max(4000);

/** Why a tool call is risky (the list); absent: not risky by itself. */
export const RISKS = ["delete", "message_customer", "change_permissions", "export", "bulk"] as const;
export type Risk = (typeof RISKS)[number];

export interface ToolDef<A extends z.ZodType = z.ZodType> {
  description: string;
  args: A;
  /** Risky whatever its arguments. */
  risk?: Risk;
  /** How many records a call touches, for the bulk rule (more than the tenant's threshold is risky). */
  records?: (args: z.infer<A>) => number;
}

const tool = <A extends z.ZodType>(def: ToolDef<A>): ToolDef<A> => def;

export const TOOLS = {
  find_customer_history: tool({
    description: "Reads a customer's appointments and tasks (newest first) in the run's business.",
    args: z.strictObject({ customerId: Uuid, limit: z.number().int().min(1).max(200).default(50) }),
  }),
  list_open_tasks: tool({
    description: "Lists a member's open tasks.",
    args: z.strictObject({ assigneeId: Uuid, limit: z.number().int().min(1).max(200).default(50) }),
  }),
  find_free_slots: tool({
    description: "Finds free slots across members' calendars in a window.",
    args: z.strictObject({
      memberIds: z.array(Uuid).min(1).max(20),
      from: z.iso.datetime({ offset: true }),
      to: z.iso.datetime({ offset: true }),
      durationMinutes: z.number().int().min(5).max(480),
    }),
  }),
  create_task: tool({
    description: "Creates a task in the office.",
    args: z.strictObject({ title: z.string().min(1).max(200), description: Text.optional(), assigneeId: Uuid.optional(), customerId: Uuid.optional(), dueAt: z.iso.datetime({ offset: true }).optional() }),
  }),
  draft_message: tool({
    description: "Stores a draft message for a person to review; sends nothing.",
    args: z.strictObject({ to: z.enum(["customer", "member"]), recipientId: Uuid, subject: z.string().min(1).max(200), body: Text }),
  }),
  book_appointment: tool({
    description: "Books an appointment for a customer with a member.",
    args: z.strictObject({ customerId: Uuid, memberId: Uuid, startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }), title: z.string().min(1).max(200) }),
  }),
  send_customer_message: tool({
    description: "Sends a message to a customer.",
    args: z.strictObject({ customerId: Uuid, subject: z.string().min(1).max(200), body: Text }),
    risk: "message_customer",
  }),
  delete_task: tool({
    description: "Deletes a task.",
    args: z.strictObject({ taskId: Uuid }),
    risk: "delete",
  }),
  update_tasks: tool({
    description: "Changes the status of several tasks at once.",
    args: z.strictObject({ taskIds: z.array(Uuid).min(1).max(1000), status: z.enum(["open", "in_progress", "done"]) }),
    records: (a) => a.taskIds.length,
  }),
  export_customers: tool({
    description: "Exports the business's customer list.",
    args: z.strictObject({ format: z.enum(["csv", "json"]) }),
    risk: "export",
  }),
} satisfies Record<string, ToolDef>;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

/** The risks of one call: the tool's own, plus bulk when it touches more records than the threshold. */
export function risksOf(name: ToolName, args: unknown, bulkThreshold: number): Risk[] {
  const def = TOOLS[name] as ToolDef;
  const risks: Risk[] = def.risk ? [def.risk] : [];
  if (def.records && def.records(args) > bulkThreshold) risks.push("bulk");
  return risks;
}
