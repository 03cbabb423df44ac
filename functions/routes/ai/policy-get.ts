import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may, MAY_READ_AI, READ_FORBIDDEN, selectPolicy } from "./queries.ts";
import { AiPolicy } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/policy",
  tags: ["ai"],
  summary: "The business's execution policy for AI workers (ai.read)",
  description: "hybrid with a bulk threshold of 25 until someone sets it. A worker's own executionPolicy overrides it.",
  ...tenantScope,
  responses: { 200: json(AiPolicy, "The policy"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q, MAY_READ_AI), selectPolicy(q)]));
    if (!allowed?.allowed) throw new ApiError("forbidden", READ_FORBIDDEN);
    return c.json(row!, 200);
  });
