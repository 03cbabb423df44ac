import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdempotencyHeaders, json, jsonBody, userErrors, userScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectTenantSummary, setActiveTenant } from "./queries.ts";
import { ActiveTenant, ActiveTenantRequest } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/me/active-tenant",
  tags: ["me"],
  summary: "Choose the business the next access tokens act in",
  description:
    "Only a tenant with an active membership can be chosen. Supabase's custom access token hook copies the choice into the next token's tenant_id claim.",
  ...userScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(ActiveTenantRequest) },
  responses: {
    200: json(ActiveTenant, "The chosen tenant"),
    ...userErrors("forbidden", "idempotency_conflict", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid("json");
    const [, tenant] = await c.var.db.tx((q) => Promise.all([setActiveTenant(q, tenantId), selectTenantSummary(q, tenantId)]));
    if (!tenant) throw new ApiError("forbidden", "no active membership in that tenant");
    return c.json({ activeTenant: tenant, tokenRefreshRequired: c.var.auth.tenantId !== tenantId }, 200);
  });
