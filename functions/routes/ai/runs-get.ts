import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may, MAY_READ_AI, READ_FORBIDDEN } from "./queries.ts";
import { selectRun, selectRunApprovals, selectSteps } from "./run-queries.ts";
import { AiRunTrace, RunIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/runs/{id}",
  tags: ["ai"],
  summary: "A run with its trace: every step's input, tool calls and arguments, output, error, duration, tokens and cost, and its approval requests (ai.read)",
  ...tenantScope,
  request: { params: RunIdParam },
  responses: { 200: json(AiRunTrace, "The run and its trace"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const [allowed, run, steps, approvals] = await c.var.db.tx((q) => Promise.all([may(q, MAY_READ_AI), selectRun(q, id), selectSteps(q, id), selectRunApprovals(q, id)]));
    if (!allowed?.allowed) throw new ApiError("forbidden", READ_FORBIDDEN);
    if (!run) throw new ApiError("not_found", `no AI run ${id}`);
    return c.json({ ...run, steps, approvals } as never, 200);
  });
