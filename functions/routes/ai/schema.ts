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
