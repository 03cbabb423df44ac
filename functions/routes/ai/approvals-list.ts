import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { may } from "./queries.ts";
import { APPROVALS_FORBIDDEN, listApprovals, MAY_SEE_APPROVALS } from "./run-queries.ts";
import { AiApprovalListQuery, AiApprovalPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/ai/approvals",
  tags: ["ai"],
  summary: "Approval requests of AI workers' actions (ai.read or ai.approve)",
  ...tenantScope,
  request: { query: AiApprovalListQuery },
  responses: { 200: json(AiApprovalPage, "A page of approval requests, oldest first"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, status } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const [allowed, rows] = await c.var.db.tx((q) => Promise.all([may(q, MAY_SEE_APPROVALS), listApprovals(q, { limit, after, status })]));
    if (!allowed?.allowed) throw new ApiError("forbidden", APPROVALS_FORBIDDEN);
    return c.json(paginate(rows, limit), 200);
  });
