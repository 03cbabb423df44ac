// What every action gets and returns. An action's output is zod-typed and stored on its step;
// the next steps receive the outputs before them, in order (`previous`).
import type { z } from "zod";
import type { JobContext } from "../../../jobs/types.ts";
import type { Action, ActionType } from "../definition.ts";

export interface StepContext<A extends Action = Action> {
  job: JobContext;
  tenantId: string;
  executionId: string;
  stepIndex: number;
  config: A;
  previous: unknown[];
  trigger: Record<string, unknown>;
}

export interface ActionDef<T extends ActionType = ActionType, O extends z.ZodType = z.ZodType> {
  type: T;
  output: O;
  run: (ctx: StepContext<Extract<Action, { type: T }>>) => Promise<z.infer<O>>;
}

export const defineAction = <T extends ActionType, O extends z.ZodType>(a: ActionDef<T, O>) => a;

/** The exactly-once key of a step's outward effect: the same on every attempt and redelivery. */
export const stepKey = (ctx: StepContext) => `wf:${ctx.executionId}:${ctx.stepIndex}`;
