// The shared body of POST /v1/ai/approvals/{id}/approve and /reject (one route per file).
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError } from "../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { AppConfig } from "../../types.ts";
import { may } from "./queries.ts";
import { APPROVE_FORBIDDEN, decideApproval, MAY_APPROVE_AI, selectApproval } from "./run-queries.ts";
import { AiApproval, AiApprovalDecision, RunIdParam } from "./schema.ts";

export const decisionRoute = (decision: "approve" | "reject", summary: string, description: string) =>
  createRoute({
    method: "post",
    path: `/v1/ai/approvals/{id}/${decision}`,
    tags: ["ai"],
    summary,
    description,
    ...tenantScopePost,
    request: { headers: IdempotencyHeaders, params: RunIdParam, body: jsonBody(AiApprovalDecision) },
    responses: { 200: json(AiApproval, "The approval request after the decision"), ...tenantErrors("not_found", "approval_void", "approval_decided", "idempotency_conflict", "unsupported_media_type") },
  });

export async function decide(c: Context<AppConfig>, id: string, decision: "approve" | "reject", reason: string | null) {
  const [allowed, decided, row] = await c.var.db.tx((q) => Promise.all([may(q, MAY_APPROVE_AI), decideApproval(q, id, decision, reason), selectApproval(q, id)]));
  if (!allowed?.allowed) throw new ApiError("forbidden", APPROVE_FORBIDDEN);
  if (!decided || decided.outcome === "not_found" || !row) throw new ApiError("not_found", `no approval request ${id}`);
  // The void is recorded (and the run failed) before this answer: nothing of it executes.
  if (decided.outcome === "void") throw new ApiError("approval_void", "the business's or the worker's execution policy changed after this approval was requested; the action will not run");
  if (decided.outcome === "decided") throw new ApiError("approval_decided", `the approval request is already ${row.status}`);
  return row;
}
