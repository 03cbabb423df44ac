import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Webhook } from "standardwebhooks";
import { ApiError } from "../../../shared/errors.ts";
import { jobsTx } from "../../lib/jobs-tx.ts";
import { namedLimiter, type NamedLimit } from "../../lib/limits.ts";
import { errorResponses, json } from "../../lib/openapi.ts";
import { redisFor } from "../../lib/redis.ts";
import { workflowWebhookSecret } from "../../lib/workflows/webhook-secret.ts";
import type { App, AppConfig } from "../../types.ts";

/** Per client IP, before any work: junk from one address cannot flood the database or the verifier. */
export const WORKFLOW_HOOK_IP_LIMIT: NamedLimit = { name: "workflow-hook-ip", tokens: 120, window: "1 m", by: "ip" };
/**
 * Per workflow, spent only by a request whose signature verified: a leaked secret (or a sender's
 * loop) cannot start more than this many executions, and nobody without the secret can spend it.
 */
export const WORKFLOW_HOOK_LIMIT: NamedLimit = { name: "workflow-hook", tokens: 60, window: "1 m", by: "tenant" };

const Params = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "10000000-0000-4000-8000-000000000001" }) });
const Started = z.object({ executionId: z.uuid() }).openapi("WorkflowWebhookAccepted");

export const route = createRoute({
  method: "post",
  path: "/hooks/workflows/{id}",
  tags: ["hooks"],
  summary: "Start a webhook-triggered workflow (Standard Webhooks signature)",
  description:
    "Signed with the workflow's secret (GET /v1/automation/workflows/{id}/webhook) by the Standard Webhooks scheme: webhook-id, webhook-timestamp (at most 5 minutes off) and webhook-signature over the raw body, a JSON object that becomes the trigger payload. A bad or missing signature, an old timestamp, a webhook-id seen before, or an id that is no webhook workflow: 401 and nothing starts. At most 60 verified webhooks per minute per workflow, and 120 requests per minute per client IP (checked first).",
  security: [{ standardWebhooks: [] }],
  request: { params: Params },
  responses: {
    202: json(Started, "The execution was queued"),
    ...errorResponses("unauthorized", "conflict", "rate_limited", "unavailable", "payload_too_large"),
  },
});

const refuse = (why: string) => new ApiError("unauthorized", why);

type Target = { tenant_id: string; active: boolean; generation: number; previous_valid_until: Date | string | null };

async function spend(c: Context<AppConfig>, limit: NamedLimit, key: string, detail: string): Promise<void> {
  const decision = await namedLimiter(redisFor(c.var.env), limit)
    .limit(key)
    .catch(() => null);
  if (!decision || decision.reason === "timeout") throw new ApiError("unavailable", "rate limiting is unavailable; try again shortly", { headers: { "Retry-After": "5" } });
  c.executionCtx.waitUntil(decision.pending);
  if (!decision.success) {
    const retry = Math.max(1, Math.ceil((decision.reset - Date.now()) / 1000));
    throw new ApiError("rate_limited", detail, { headers: { "Retry-After": String(retry) } });
  }
}

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    // Per IP before any database work; like every named limit, fails closed when Redis is down.
    await spend(c, WORKFLOW_HOOK_IP_LIMIT, `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`, "at most 120 webhook requests per minute from one address");
    const body = await c.req.text();
    const target = await jobsTx(c, "workflow-webhook")((q) => q.one<Target>("select * from private.workflow_webhook_target($1)", [id]));
    // An unknown id answers like a bad signature: no oracle for which workflows exist.
    if (!target) throw refuse("the signature does not verify");
    const headers = {
      "webhook-id": c.req.header("webhook-id") ?? "",
      "webhook-timestamp": c.req.header("webhook-timestamp") ?? "",
      "webhook-signature": c.req.header("webhook-signature") ?? "",
    };
    // The current secret, and the previous one during its grace period after a rotation.
    const generations = [target.generation];
    if (target.generation > 0 && target.previous_valid_until && new Date(target.previous_valid_until).getTime() > Date.now()) generations.push(target.generation - 1);
    let verified = false;
    for (const generation of generations) {
      try {
        new Webhook(await workflowWebhookSecret(c.var.env, target.tenant_id, id, generation)).verify(body, headers);
        verified = true;
        break;
      } catch (e) {
        if (e instanceof ApiError) throw e;
      }
    }
    if (!verified) throw refuse("the signature does not verify, or its timestamp is too old");
    // Only a verified request spends the workflow's own limit.
    await spend(c, WORKFLOW_HOOK_LIMIT, `wf:${id}`, "at most 60 webhooks per minute for this workflow");
    if (headers["webhook-id"].length > 200) throw refuse("the webhook-id is too long");
    let payload: unknown;
    try {
      payload = body ? JSON.parse(body) : {};
    } catch {
      throw new ApiError("bad_request", "the webhook body is not JSON");
    }
    if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw new ApiError("bad_request", "the webhook body must be a JSON object");
    if (!target.active) throw new ApiError("conflict", "this workflow is not active");
    const row = await jobsTx(c, "workflow-webhook")((q) =>
      q.one<{ id: string | null }>("select private.workflow_webhook_start($1, $2, $3, $4) as id", [target.tenant_id, id, headers["webhook-id"], JSON.stringify(payload)]),
    );
    if (!row?.id) throw refuse("this webhook-id was used before");
    return c.json({ executionId: row.id }, 202);
  });
