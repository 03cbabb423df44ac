import type { App } from "../../types.ts";
import { permissionFirst } from "../../lib/validation.ts";
import { decide, decisionRoute } from "./approval-decision.ts";
import { APPROVE_FORBIDDEN, MAY_APPROVE_AI } from "./run-queries.ts";

export const route = decisionRoute(
  "reject",
  "Reject an AI worker's action (ai.approve)",
  "The action never runs. The run goes on: the model is told the action was rejected (with the reason) as the tool's result, and must finish without it. An approval whose action has not run yet is withdrawn the same way; once the action ran: 409 approval_decided.",
);

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => c.json(await decide(c, c.req.valid("param").id, "reject", c.req.valid("json").reason ?? null), 200),
    permissionFirst(MAY_APPROVE_AI, APPROVE_FORBIDDEN),
  );
