import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../../shared/schemas/common.ts";
import { DomainEventType } from "../../../../shared/schemas/domain-events.ts";
import { PageQuery, pageOf } from "../../../../shared/schemas/pagination.ts";
import { checkOutboundUrl, MAX_URL_LENGTH } from "../../../lib/ssrf/index.ts";

export const WebhookIdParam = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
export const DeliveryIdParams = WebhookIdParam.extend({ deliveryId: Uuid.openapi({ param: { name: "deliveryId", in: "path" } }) });

/** HTTPS on a public host (functions/lib/ssrf): refused here with the reason, and again at send time. */
const TargetUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .superRefine((raw, ctx) => {
    const verdict = checkOutboundUrl(raw);
    if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.reason });
  })
  .openapi({ example: "https://hooks.example.com/ai-office", description: "HTTPS URL on a public host; private, loopback, link-local, CGNAT, metadata and local names are refused" });

const EventTypes = z
  .array(DomainEventType)
  .min(1)
  .max(64)
  .transform((types) => [...new Set(types)])
  .openapi({ description: "Event types to deliver; null or omitted: all, including types added later" });

const Description = z.string().trim().max(500);

export const WebhookEndpoint = z
  .object({
    id: Uuid,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(DomainEventType).nullable().openapi({ description: "null: every type" }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: "Why it was disabled (by a person, or after repeated failures)" }),
    disabledAt: Timestamp.nullable(),
    consecutiveFailures: z.number().int(),
    secretRotatedAt: Timestamp,
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("WebhookEndpoint");

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().openapi({ description: "Standard Webhooks signing secret (whsec_…), shown only in this response", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
}).openapi("WebhookEndpointWithSecret");

export const WebhookEndpointPage = pageOf(WebhookEndpoint, "WebhookEndpointPage");

export const WebhookEndpointCreate = z
  .strictObject({ url: TargetUrl, description: Description.nullable().optional(), eventTypes: EventTypes.nullable().optional() })
  .openapi("WebhookEndpointCreate");

export const WebhookEndpointPatch = z
  .strictObject({
    url: TargetUrl.optional(),
    description: Description.nullable().optional(),
    eventTypes: EventTypes.nullable().optional(),
    enabled: z.literal(false).optional().openapi({ description: "false disables the endpoint; re-enable with POST …/enable" }),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one of url, description, eventTypes, enabled" })
  .openapi("WebhookEndpointPatch");

export const WebhookAttempt = z
  .object({
    id: Uuid,
    attemptId: Uuid.openapi({ description: "The queued attempt (a replay is a new one); QStash retries of it are its tries" }),
    try: z.number().int(),
    outcome: z.enum(["sending", "delivered", "failed", "refused", "skipped"]),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    error: z.string().nullable(),
    responseSnippet: z.string().nullable().openapi({ description: "The first 1024 characters of the answer" }),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .openapi("WebhookAttempt");

export const WebhookDelivery = z
  .object({
    id: Uuid.openapi({ description: "Also the webhook-id header of every attempt" }),
    endpointId: Uuid,
    eventId: Uuid,
    eventType: DomainEventType,
    status: z.enum(["pending", "delivered", "failed", "refused", "skipped"]),
    attempts: z.number().int(),
    replays: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
    attemptLog: z.array(WebhookAttempt).openapi({ description: "The latest 20 tries, oldest first" }),
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryPage = pageOf(WebhookDelivery, "WebhookDeliveryPage");
export const WebhookDeliveryListQuery = PageQuery;

export const WebhookReplay = z.object({ deliveryId: Uuid, attemptId: Uuid }).openapi("WebhookReplay");
