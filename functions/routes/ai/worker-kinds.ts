import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { publishedKinds } from "../../lib/ai/contracts/publish.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may, MAY_READ_AI, READ_FORBIDDEN } from "./queries.ts";
import { WorkerKindList } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/worker-kinds",
  tags: ["ai"],
  summary: "The worker kinds and their capability contracts (ai.read)",
  description: "Each kind's config schema and tasks: input and output as JSON Schema, the tools a task may call (with their argument schemas) and its risk class. Tool risks: delete, message_customer, change_permissions, export; bulk when a call touches more records than the business's bulk threshold.",
  ...tenantScope,
  responses: { 200: json(WorkerKindList, "Every worker kind"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const allowed = await c.var.db.tx((q) => may(q, MAY_READ_AI));
    if (!allowed?.allowed) throw new ApiError("forbidden", READ_FORBIDDEN);
    return c.json({ data: publishedKinds() } as never, 200);
  });
