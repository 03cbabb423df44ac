import type { App } from "../../types.ts";
import { permissionFirst } from "../../lib/validation.ts";
import { decide, decisionRoute } from "./approval-decision.ts";
import { APPROVE_FORBIDDEN, MAY_APPROVE_AI } from "./run-queries.ts";

export const route = decisionRoute(
  "approve",
  "Approve an AI worker's action (ai.approve)",
  "The action then runs once, with exactly the stored arguments, however often this call or its QStash delivery is repeated (the same decision again answers 200). If the business's or the worker's execution policy changed since the request (policy versions), the approval is void: 409 approval_void, nothing runs and the run fails. After a rejection: 409 approval_decided.",
);

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => c.json(await decide(c, c.req.valid("param").id, "approve", c.req.valid("json").reason ?? null), 200),
    permissionFirst(MAY_APPROVE_AI, APPROVE_FORBIDDEN),
  );
