// One step of a workflow execution, published through the job outbox with the dedupe id
// wf:{execution}:{step}:{attempt}. See functions/lib/workflows/runner.ts.
import { z } from "zod";
import { runStep } from "../lib/workflows/runner.ts";
import { defineJob } from "./types.ts";

export const workflowStepDedupeId = (p: { executionId: string; stepIndex: number; attempt: number }) => `wf:${p.executionId}:${p.stepIndex}:${p.attempt}`;

export const workflowStep = defineJob({
  name: "workflow-step",
  payload: z.strictObject({
    tenantId: z.uuid(),
    executionId: z.uuid(),
    stepIndex: z.number().int().min(0).max(19),
    attempt: z.number().int().min(1).max(100),
  }),
  run: (ctx, p) => runStep(ctx, p),
});
