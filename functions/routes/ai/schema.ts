import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { PageQuery, pageOf } from "../../../shared/schemas/pagination.ts";
import { WORKER_KINDS, WORKER_KIND_NAMES } from "../../lib/ai/contracts/index.ts";

export const EXECUTION_POLICIES = ["autonomous", "hybrid", "manual"] as const;
export const ExecutionPolicy = z.enum(EXECUTION_POLICIES).openapi("ExecutionPolicy", {
  description: "autonomous: risky actions run; hybrid: risky actions wait for approval; manual: every action waits for approval",
});
export const WORKER_STATUSES = ["provisioned", "active", "paused", "retired", "failed"] as const;
export const WorkerStatus = z.enum(WORKER_STATUSES).openapi("AiWorkerStatus");

export const WorkerIdParam = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });

export const AiWorker = z
  .object({
    id: Uuid,
    kind: z.enum(WORKER_KIND_NAMES),
    contractVersion: z.number().int(),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    configVersion: z.number().int(),
    status: WorkerStatus,
    statusChangedAt: Timestamp,
    executionPolicy: ExecutionPolicy.nullable().openapi({ description: "The worker's own policy; null follows the business's" }),
    effectivePolicy: ExecutionPolicy,
    policyVersion: z.number().int(),
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("AiWorker");
export const AiWorkerPage = pageOf(AiWorker, "AiWorkerPage");
export const AiWorkerListQuery = PageQuery.extend({ status: WorkerStatus.optional() });

const Name = z.string().trim().min(1).max(100).openapi({ example: "Front desk assistant" });

// One branch per kind: its config is that kind's schema, and its version one the code runs.
const createBranches = WORKER_KIND_NAMES.map((kind) => {
  const contract = WORKER_KINDS[kind];
  return z.strictObject({
    kind: z.literal(kind),
    name: Name,
    config: (contract.config as z.ZodType).optional(),
    version: z.literal(contract.version).optional().openapi({ description: "The capability contract version; the current one when omitted" }),
    executionPolicy: ExecutionPolicy.optional(),
  });
});
export const AiWorkerCreate = z
  .discriminatedUnion("kind", createBranches as unknown as [(typeof createBranches)[0], ...(typeof createBranches)[number][]])
  .openapi("AiWorkerCreate");

export const AiWorkerPatch = z
  .strictObject({
    name: Name.optional(),
    config: z.record(z.string(), z.unknown()).optional().openapi({ description: "Validated against the worker kind's config schema (GET /v1/ai/worker-kinds)" }),
    executionPolicy: ExecutionPolicy.nullable().optional(),
  })
  .refine((p) => p.name !== undefined || p.config !== undefined || p.executionPolicy !== undefined, { message: "change at least one of name, config, executionPolicy" })
  .openapi("AiWorkerPatch");

export const AiWorkerStatusChange = z
  .strictObject({
    status: z.enum(["active", "paused", "retired"]).openapi({ description: "failed is set by the runtime only" }),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .openapi("AiWorkerStatusChange");

export const AiWorkerEvent = z
  .object({
    id: Uuid,
    fromStatus: WorkerStatus.nullable(),
    toStatus: WorkerStatus,
    actorId: Uuid.nullable().openapi({ description: "null: the runtime" }),
    reason: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi("AiWorkerEvent");
export const AiWorkerEventPage = pageOf(AiWorkerEvent, "AiWorkerEventPage");

export const AiPolicy = z
  .object({
    executionPolicy: ExecutionPolicy,
    bulkThreshold: z.number().int().openapi({ description: "An action on more records than this is bulk (risky)" }),
    policyVersion: z.number().int(),
    updatedBy: Uuid.nullable(),
    updatedAt: Timestamp.nullable(),
  })
  .openapi("AiPolicy");
export const AiPolicyPut = z
  .strictObject({ executionPolicy: ExecutionPolicy, bulkThreshold: z.number().int().min(1).max(10000).optional() })
  .openapi("AiPolicyPut");

const JsonSchema = z.record(z.string(), z.unknown()).openapi("JsonSchema");
export const WorkerKind = z
  .object({
    kind: z.enum(WORKER_KIND_NAMES),
    version: z.number().int(),
    title: z.string(),
    description: z.string(),
    config: JsonSchema,
    tasks: z.array(
      z.object({
        name: z.string(),
        description: z.string(),
        risk: z.enum(["read", "write", "risky"]),
        input: JsonSchema,
        output: JsonSchema,
        tools: z.array(z.object({ name: z.string(), description: z.string(), risk: z.string().nullable(), bulk: z.boolean(), arguments: JsonSchema })),
      }),
    ),
  })
  .openapi("AiWorkerKind");
export const WorkerKindList = z.object({ data: z.array(WorkerKind) }).openapi("AiWorkerKindList");

// Runs, their trace and approvals.
export const RUN_STATUSES = ["queued", "running", "awaiting_approval", "succeeded", "failed", "budget_exceeded"] as const;
export const RunIdParam = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
export const AiRunCreate = z
  .strictObject({
    task: z.string().min(1).max(63).openapi({ example: "summarize_customer", description: "A task of the worker's kind (GET /v1/ai/worker-kinds)" }),
    input: z.record(z.string(), z.unknown()).openapi({ description: "Validated against the task's input schema: 422 invalid_task_input" }),
  })
  .openapi("AiRunCreate");
export const AiRun = z
  .object({
    id: Uuid,
    workerId: Uuid,
    kind: z.string(),
    task: z.string(),
    input: z.record(z.string(), z.unknown()),
    status: z.enum(RUN_STATUSES),
    currentStep: z.number().int(),
    output: z.unknown().nullable(),
    errorCode: z.string().nullable().openapi({ description: "e.g. tool_not_in_contract, invalid_task_output, approval_void, budget_exceeded, worker_not_active, or the model provider's (timeout, refusal, …)" }),
    error: z.string().nullable(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
    source: z.enum(["api", "workflow"]),
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .openapi("AiRun");
export const AiRunPage = pageOf(AiRun, "AiRunPage");
export const AiRunStep = z
  .object({
    stepIndex: z.number().int(),
    kind: z.enum(["model", "tool"]),
    status: z.enum(["pending", "running", "retrying", "awaiting_approval", "succeeded", "failed", "rejected", "cancelled"]),
    attempts: z.number().int(),
    input: z.unknown().nullable().openapi({ description: "model: {estimatedTokens}; tool: {callId, name, args, risks, records}" }),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).nullable().openapi({ description: "model: the tool calls as the model proposed them" }),
    output: z.unknown().nullable(),
    errorCode: z.string().nullable(),
    error: z.string().nullable(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
    reservedTokens: z.number().int(),
    durationMs: z.number().int().nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    nextAttemptAt: Timestamp.nullable(),
  })
  .openapi("AiRunStep");
export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "void", "executed"] as const;
export const AiApproval = z
  .object({
    id: Uuid,
    runId: Uuid,
    stepIndex: z.number().int(),
    workerId: Uuid,
    toolName: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    argumentsHash: z.string().openapi({ description: "sha256 (hex) of the arguments' canonical JSON (Postgres jsonb text)" }),
    risks: z.array(z.string()),
    executionPolicy: ExecutionPolicy,
    settingsPolicyVersion: z.number().int(),
    workerPolicyVersion: z.number().int(),
    status: z.enum(APPROVAL_STATUSES),
    decidedBy: Uuid.nullable(),
    decidedAt: Timestamp.nullable(),
    reason: z.string().nullable(),
    executedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi("AiApproval");
export const AiApprovalPage = pageOf(AiApproval, "AiApprovalPage");
export const AiApprovalListQuery = PageQuery.extend({ status: z.enum(APPROVAL_STATUSES).optional() });
export const AiRunTrace = AiRun.extend({ steps: z.array(AiRunStep), approvals: z.array(AiApproval) }).openapi("AiRunTrace");
export const AiApprovalDecision = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).openapi("AiApprovalDecision");
