// A worker kind's capability contract: what it is for, its configuration, and its tasks — each
// with a zod input, a zod output, the tools it may call and a risk class. The runtime refuses
// anything outside the contract (contracts/validate.ts); GET /v1/ai/worker-kinds publishes it.
import type { z } from "zod";
import type { ToolName } from "../tools.ts";

/** A task's risk class: `read` only reads, `write` changes the office, `risky` may need approval. */
export type TaskRisk = "read" | "write" | "risky";

export interface TaskContract {
  description: string;
  input: z.ZodType;
  output: z.ZodType;
  tools: readonly ToolName[];
  risk: TaskRisk;
}

export interface WorkerKindContract {
  kind: string;
  /** Bumped when a task's input/output or tools change incompatibly; a worker names the one it runs. */
  version: number;
  title: string;
  description: string;
  config: z.ZodType;
  tasks: Record<string, TaskContract>;
}

export const defineKind = <K extends WorkerKindContract>(k: K): K => k;
