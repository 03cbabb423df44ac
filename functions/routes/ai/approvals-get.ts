import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may } from "./queries.ts";
import { APPROVALS_FORBIDDEN, MAY_SEE_APPROVALS, selectApproval } from "./run-queries.ts";
import { AiApproval, RunIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/approvals/{id}",
  tags: ["ai"],
  summary: "One approval request: the exact tool, arguments (and their hash) and the policy versions it was requested under (ai.read or ai.approve)",
  ...tenantScope,
  request: { params: RunIdParam },
  responses: { 200: json(AiApproval, "The approval request"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q, MAY_SEE_APPROVALS), selectApproval(q, id)]));
    if (!allowed?.allowed) throw new ApiError("forbidden", APPROVALS_FORBIDDEN);
    if (!row) throw new ApiError("not_found", `no approval request ${id}`);
    return c.json(row, 200);
  });
