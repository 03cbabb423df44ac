import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { permissionFirst } from "../../lib/validation.ts";
import type { App } from "../../types.ts";
import { MANAGE_FORBIDDEN, may, MAY_MANAGE_AI, upsertPolicy } from "./queries.ts";
import { AiPolicy, AiPolicyPut } from "./schema.ts";

export const route = createRoute({
  method: "put",
  path: "/v1/ai/policy",
  tags: ["ai"],
  summary: "Set the business's execution policy for AI workers (ai.manage)",
  description: "A change of policy or bulk threshold bumps policyVersion: approvals requested under the old version are void.",
  ...tenantScope,
  request: { body: jsonBody(AiPolicyPut) },
  responses: { 200: json(AiPolicy, "The policy"), ...tenantErrors("unsupported_media_type") },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const body = c.req.valid("json");
      const [allowed, row] = await c.var.db.tx((q) => Promise.all([may(q, MAY_MANAGE_AI), upsertPolicy(q, body)]));
      if (!allowed?.allowed || !row) throw new ApiError("forbidden", MANAGE_FORBIDDEN);
      return c.json(row, 200);
    },
    permissionFirst(MAY_MANAGE_AI, MANAGE_FORBIDDEN),
  );
