import { createRoute, z } from "@hono/zod-openapi";
import { Webhook } from "standardwebhooks";
import { ApiError } from "../../../shared/errors.ts";
import { jobsTx } from "../../lib/jobs-tx.ts";
import { namedLimiter, type NamedLimit } from "../../lib/limits.ts";
import { errorResponses, json } from "../../lib/openapi.ts";
import { redisFor } from "../../lib/redis.ts";
import { workflowWebhookSecret } from "../../lib/workflows/webhook-secret.ts";
import type { App } from "../../types.ts";

/** Per workflow: a leaked URL (or a sender's loop) cannot start more than this many executions. */
export const WORKFLOW_HOOK_LIMIT: NamedLimit = { name: "workflow-hook", tokens: 60, window: "1 m", by: "ip" };

const Params = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "10000000-0000-4000-8000-000000000001" }) });
const Started = z.object({ executionId: z.uuid() }).openapi("WorkflowWebhookAccepted");

export const route = createRoute({
  method: "post",
  path: "/hooks/workflows/{id}",
  tags: ["hooks"],
  summary: "Start a webhook-triggered workflow (Standard Webhooks signature)",
  description:
    "Signed with the workflow's secret (GET /v1/automation/workflows/{id}/webhook) by the Standard Webhooks scheme: webhook-id, webhook-timestamp (at most 5 minutes off) and webhook-signature over the raw body, a JSON object that becomes the trigger payload. A bad or missing signature, an old timestamp, a webhook-id seen before, or an id that is no webhook workflow: 401 and nothing starts. At most 60 per minute per workflow.",
  security: [{ standardWebhooks: [] }],
  request: { params: Params },
  responses: {
    202: json(Started, "The execution was queued"),
    ...errorResponses("unauthorized", "conflict", "rate_limited", "unavailable", "payload_too_large"),
  },
});

const refuse = (why: string) => new ApiError("unauthorized", why);

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    // Limited before any database work; fails closed like every named limit.
    const decision = await namedLimiter(redisFor(c.var.env), WORKFLOW_HOOK_LIMIT)
      .limit(`wf:${id}`)
      .catch(() => null);
    if (!decision || decision.reason === "timeout") throw new ApiError("unavailable", "rate limiting is unavailable; try again shortly", { headers: { "Retry-After": "5" } });
    c.executionCtx.waitUntil(decision.pending);
    if (!decision.success) throw new ApiError("rate_limited", "at most 60 webhooks per minute for this workflow", { headers: { "Retry-After": "60" } });

    const body = await c.req.text();
    const target = await jobsTx(c, "workflow-webhook")((q) => q.one<{ tenant_id: string; active: boolean }>("select * from private.workflow_webhook_target($1)", [id]));
    // An unknown id answers like a bad signature: no oracle for which workflows exist.
    if (!target) throw refuse("the signature does not verify");
    const headers = {
      "webhook-id": c.req.header("webhook-id") ?? "",
      "webhook-timestamp": c.req.header("webhook-timestamp") ?? "",
      "webhook-signature": c.req.header("webhook-signature") ?? "",
    };
    try {
      new Webhook(await workflowWebhookSecret(c.var.env, target.tenant_id, id)).verify(body, headers);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw refuse("the signature does not verify, or its timestamp is too old");
    }
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
