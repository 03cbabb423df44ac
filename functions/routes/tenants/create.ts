import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, json, jsonBody, userErrors, userScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createTenant } from "./queries.ts";
import { SignedUpTenant, TenantCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/tenants",
  tags: ["tenants"],
  summary: "Sign up a business",
  description:
    "Creates the tenant and the caller's owner membership atomically. If the caller has no active tenant yet, it becomes the active one; refresh the session to get a token that names it.",
  ...userScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(TenantCreate) },
  responses: {
    201: json(SignedUpTenant, "The new tenant"),
    ...userErrors("conflict", "idempotency_conflict", "unsupported_media_type", "not_found"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    const id = crypto.randomUUID();
    const tenant = await c.var.db.tx((q) => createTenant(q, { id, ...input, email: c.var.auth.email }));
    return c.json({ tenant: tenant!, role: "owner" as const, tokenRefreshRequired: c.var.auth.tenantId === null }, 201);
  });
