import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { workflowWebhookSecret } from "../../../lib/workflows/webhook-secret.ts";
import type { App } from "../../../types.ts";
import { MAY_MANAGE } from "./queries.ts";
import { WorkflowIdParam } from "./schema.ts";

const WebhookTarget = z
  .object({
    url: z.url().openapi({ example: "https://api.example.com/hooks/workflows/10000000-0000-4000-8000-000000000001" }),
    secret: z.string().openapi({ description: "Standard Webhooks signing secret (whsec_…): sign webhook-id, webhook-timestamp and the body with it" }),
  })
  .openapi("WorkflowWebhook");

export const route = createRoute({
  method: "get",
  path: "/v1/automation/workflows/{id}/webhook",
  tags: ["automation"],
  summary: "Where and how to send a workflow's inbound webhook (automation.manage)",
  description:
    "POST /hooks/workflows/{id}, signed with the Standard Webhooks scheme (webhook-id, webhook-timestamp within 5 minutes, webhook-signature). Only a workflow with a webhook trigger, while active, starts executions; each webhook-id starts at most one.",
  ...tenantScope,
  request: { params: WorkflowIdParam },
  responses: { 200: json(WebhookTarget, "The URL and the signing secret"), ...tenantErrors("not_found", "unavailable") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const [allowed, found] = await c.var.db.tx((q) =>
      Promise.all([
        q.one<{ allowed: boolean }>(MAY_MANAGE).then((r) => !!r?.allowed),
        q.one<{ generation: number | null }>("select private.workflow_webhook_generation($1) as generation", [id]).then((r) => r?.generation ?? null),
      ]),
    );
    if (!allowed) throw new ApiError("forbidden", "webhook secrets are for members with automation.manage");
    if (found === null) throw new ApiError("not_found", `workflow ${id}`);
    const url = `${c.var.env.PUBLIC_API_URL.replace(/\/$/, "")}/hooks/workflows/${id}`;
    return c.json({ url, secret: await workflowWebhookSecret(c.var.env, c.var.tenantId, id, found) }, 200);
  });
