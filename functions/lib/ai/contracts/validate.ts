// The runtime's checks against a contract, before anything executes: a task's input, each tool
// call the model proposes (known tool, allowed by the task, arguments parse and match), and the
// task's output. Violations are typed (ContractViolation.code), never thrown strings, so a run
// can be marked failed with the exact reason.
import type { z } from "zod";
import { TOOLS, type ToolName } from "../tools.ts";
import { WORKER_KINDS, type WorkerKind } from "./index.ts";
import type { TaskContract } from "./types.ts";

export const VIOLATIONS = [
  "unknown_worker_kind",
  "unknown_task",
  "invalid_task_input",
  "unknown_tool",
  "tool_not_in_contract",
  "malformed_tool_arguments",
  "invalid_tool_arguments",
  "invalid_task_output",
] as const;
export type ViolationCode = (typeof VIOLATIONS)[number];

export interface ContractViolation {
  code: ViolationCode;
  message: string;
  /** Field paths of a schema violation, e.g. ["customerId"]. */
  paths?: string[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; violation: ContractViolation };

const violation = (code: ViolationCode, message: string, paths?: string[]): { ok: false; violation: ContractViolation } => ({ ok: false, violation: { code, message, paths } });

function taskOf(kind: string, task: string): Checked<TaskContract> {
  const contract = WORKER_KINDS[kind as WorkerKind];
  if (!contract) return violation("unknown_worker_kind", `no worker kind ${kind}`);
  const t = (contract.tasks as Record<string, TaskContract>)[task];
  if (!Object.hasOwn(contract.tasks, task) || !t) return violation("unknown_task", `${kind} has no task ${task}`);
  return { ok: true, value: t };
}

function parse(schema: z.ZodType, value: unknown, code: ViolationCode, what: string): Checked<unknown> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return violation(code, `${what} does not match its schema`, r.error.issues.map((i) => i.path.map(String).join(".")));
}

export function checkTaskInput(kind: string, task: string, input: unknown): Checked<unknown> {
  const t = taskOf(kind, task);
  return t.ok ? parse(t.value.input, input, "invalid_task_input", `the input of ${task}`) : t;
}

export function checkTaskOutput(kind: string, task: string, output: unknown): Checked<unknown> {
  const t = taskOf(kind, task);
  return t.ok ? parse(t.value.output, output, "invalid_task_output", `the output of ${task}`) : t;
}

/** A tool call as a model proposes it: a name and its arguments as a JSON string. */
export function checkToolCall(kind: string, task: string, call: { name: string; arguments: string }): Checked<{ name: ToolName; args: unknown }> {
  const t = taskOf(kind, task);
  if (!t.ok) return t;
  if (!Object.hasOwn(TOOLS, call.name)) return violation("unknown_tool", `there is no tool ${JSON.stringify(call.name.slice(0, 100))}`);
  const name = call.name as ToolName;
  if (!t.value.tools.includes(name)) return violation("tool_not_in_contract", `${task} may not call ${name}`);
  let raw: unknown;
  try {
    raw = JSON.parse(call.arguments);
  } catch {
    return violation("malformed_tool_arguments", `the arguments of ${name} are not JSON`);
  }
  const args = parse(TOOLS[name].args, raw, "invalid_tool_arguments", `the arguments of ${name}`);
  return args.ok ? { ok: true, value: { name, args: args.value } } : args;
}
