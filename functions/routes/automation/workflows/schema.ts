import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../../shared/schemas/pagination.ts";
import { Actions, Trigger } from "../../../lib/workflows/definition.ts";

export const WorkflowIdParam = z.object({
  id: Uuid.openapi({ param: { name: "id", in: "path" } }),
});
export const ExecutionIdParam = z.object({
  id: Uuid.openapi({ param: { name: "id", in: "path" } }),
  executionId: Uuid.openapi({ param: { name: "executionId", in: "path" } }),
});

export const Workflow = z
  .object({
    id: Uuid,
    name: z.string(),
    active: z.boolean(),
    currentVersion: z.number().int(),
    trigger: Trigger,
    actions: Actions,
    templateKey: z.string().nullable(),
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Workflow");
export const WorkflowPage = pageOf(Workflow, "WorkflowPage");
export const WorkflowListQuery = PageQuery;

export const WorkflowCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Morning digest" }),
    trigger: Trigger,
    actions: Actions,
  })
  .openapi("WorkflowCreate");

export const WorkflowUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    trigger: Trigger.optional(),
    actions: Actions.optional(),
  })
  .refine((u) => u.name !== undefined || u.trigger !== undefined || u.actions !== undefined, { message: "change at least one of name, trigger, actions" })
  .openapi("WorkflowUpdate");

export const WorkflowRun = z
  .strictObject({ payload: z.record(z.string(), z.unknown()).optional().openapi({ description: "Given to the steps as the trigger payload" }) })
  .openapi("WorkflowRun");

export const ExecutionStatus = z.enum(["queued", "running", "succeeded", "failed", "cancelled", "refused"]).openapi("ExecutionStatus");

export const Execution = z
  .object({
    id: Uuid,
    workflowId: Uuid,
    version: z.number().int(),
    status: ExecutionStatus,
    triggerKind: z.enum(["manual", "scheduled", "event", "webhook"]),
    triggerId: z.string(),
    currentStep: z.number().int(),
    stepCount: z.number().int(),
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    error: z.string().nullable(),
  })
  .openapi("WorkflowExecution");
export const ExecutionPage = pageOf(Execution, "WorkflowExecutionPage");

export const ExecutionStep = z
  .object({
    stepIndex: z.number().int(),
    action: z.string(),
    status: z.enum(["pending", "running", "retrying", "deferred", "succeeded", "failed", "cancelled"]),
    attempts: z.number().int(),
    input: z.unknown().nullable(),
    output: z.unknown().nullable().openapi({ description: "The step's typed output; null until it succeeded, for a reader without appointments.read_all and tasks.read_all, and where the trigger payload is hidden" }),
    lastError: z.string().nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    nextAttemptAt: Timestamp.nullable(),
  })
  .openapi("WorkflowExecutionStep");
export const ExecutionDetail = Execution.extend({
  triggerPayload: z.record(z.string(), z.unknown()).nullable().openapi({
    description: "What started it (an event's type, id and object; a run's or webhook's body; a schedule's fire time). Null when an event started it whose type the reader may not read in the event log (GET /v1/automation/events).",
  }),
  steps: z.array(ExecutionStep),
}).openapi("WorkflowExecutionDetail");
