import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import { WORKFLOW_SECRET_GRACE_HOURS, workflowWebhookSecret } from "../../../lib/workflows/webhook-secret.ts";
import type { App } from "../../../types.ts";
import { MAY_MANAGE } from "./queries.ts";
import { WorkflowIdParam } from "./schema.ts";

const Rotated = z
  .object({
    secret: z.string().openapi({ description: "The new Standard Webhooks signing secret (whsec_…)" }),
    generation: z.number().int().openapi({ description: "How many times the secret was rotated" }),
    previousValidUntil: z.iso.datetime({ offset: true }).openapi({ description: "Until when the previous secret still verifies" }),
  })
  .openapi("WorkflowWebhookSecretRotated");

export const route = createRoute({
  method: "post",
  path: "/v1/automation/workflows/{id}/webhook/rotate-secret",
  tags: ["automation"],
  summary: "Rotate a workflow's inbound webhook secret (automation.manage)",
  description: `A new signing secret, in this response. The previous one keeps verifying for ${WORKFLOW_SECRET_GRACE_HOURS} hours (a sender may sign with both, space-separated in webhook-signature, while it switches); the one before that stops at once. Audited.`,
  ...tenantScope,
  request: { params: WorkflowIdParam },
  responses: { 200: json(Rotated, "The new secret"), ...tenantErrors("not_found", "unavailable") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      // The secret derives from the server key: fail before rotating when it is not configured.
      await workflowWebhookSecret(c.var.env, c.var.tenantId, id);
      const [allowed, row] = await c.var.db.tx((q) =>
        Promise.all([
          q.one<{ allowed: boolean }>(MAY_MANAGE).then((r) => !!r?.allowed),
          q.one<{ generation: number; previousValidUntil: Date }>(
            `select r.generation, r.previous_valid_until as "previousValidUntil" from private.workflow_rotate_webhook_secret($1) r`,
            [id],
          ),
        ]),
      );
      if (!allowed) throw new ApiError("forbidden", "webhook secrets are for members with automation.manage");
      if (!row) throw new ApiError("not_found", `workflow ${id}`);
      const secret = await workflowWebhookSecret(c.var.env, c.var.tenantId, id, row.generation);
      return c.json({ secret, generation: row.generation, previousValidUntil: new Date(row.previousValidUntil).toISOString() }, 200);
    },
    permissionFirst(MAY_MANAGE, "webhook secrets are for members with automation.manage"),
  );
