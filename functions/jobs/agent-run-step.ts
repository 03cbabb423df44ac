// One step of an AI worker's run, published through the job outbox with the dedupe id run:{id}
// (the first step) or run:{id}:{step}:{attempt}. See functions/lib/ai/runs/runner.ts.
import { z } from "zod";
import { runAgentStep } from "../lib/ai/runs/runner.ts";
import { defineJob } from "./types.ts";

export const agentRunDedupeId = (p: { runId: string; stepIndex: number; attempt: number }) =>
  p.stepIndex === 0 && p.attempt === 1 ? `run:${p.runId}` : `run:${p.runId}:${p.stepIndex}:${p.attempt}`;

export const agentRunStep = defineJob({
  name: "agent-run-step",
  payload: z.strictObject({
    tenantId: z.uuid(),
    runId: z.uuid(),
    stepIndex: z.number().int().min(0).max(99),
    attempt: z.number().int().min(1).max(100),
  }),
  run: (ctx, p) => runAgentStep(ctx, p),
});
