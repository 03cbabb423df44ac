// Builds the Hono app: the middleware order (the request pipeline), the route groups, and the
// one error renderer. Order matters and lives only here:
// request-id → access log → env → secure headers → CORS → [/v1: body limit → auth → db (starts
//   connecting) → limits+metering (Redis, overlapping the connect)]
//   → route (tenant context → idempotency) → handler
// /scim/v2: … → CORS → SCIM token (hash) → the token's limit (Redis, overlapping the connect)
//   → body limit → handler (scim_enter + its statements in one flight)
import { OpenAPIHono } from "@hono/zod-openapi";
import { allowedMethods } from "./lib/allowed-methods.ts";
import { operationIdOf } from "./lib/operation-ids.ts";
import { renderError, renderNotFound } from "./lib/render-error.ts";
import { validationHook } from "./lib/validation.ts";
import { accessLog } from "./middleware/access-log/index.ts";
import { authenticate } from "./middleware/authenticate/index.ts";
import { bodyLimit } from "./middleware/body-limit/index.ts";
import { cors } from "./middleware/cors/index.ts";
import { db } from "./middleware/db/index.ts";
import { env } from "./middleware/env/index.ts";
import { limits } from "./middleware/limits/index.ts";
import { requestId } from "./middleware/request-id/index.ts";
import { scimAuth } from "./middleware/scim-auth/index.ts";
import { securityHeaders } from "./middleware/security-headers/index.ts";
import { routes } from "./routes.ts";
import type { App, AppConfig } from "./types.ts";

export interface AppOptions {
  /** Rate limits and metering (on in every deployment; the bench builds without to compare). */
  limits?: boolean;
}

export function buildApp(options: AppOptions = {}): App {
  const app = new OpenAPIHono<AppConfig>({ defaultHook: validationHook });

  app.use("*", requestId());
  app.use("*", accessLog());
  app.use("*", env());
  app.use("*", securityHeaders());
  app.use("*", cors());
  app.use("/v1/*", bodyLimit());
  app.use("/hooks/*", bodyLimit());
  // SCIM: its own credential, limit and error bodies (middleware/scim-auth), then the body limit.
  app.use("/scim/v2/*", scimAuth());
  app.use("/scim/v2/*", bodyLimit());
  app.use("/v1/*", authenticate());
  app.use("/v1/*", db());
  if (options.limits !== false) app.use("/v1/*", limits());

  for (const route of routes) route.register(app);
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type === "route") d.route.operationId ??= operationIdOf(d.route.method, d.route.path);
  }

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Supabase Auth access token (at most 15 minutes old).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "qstashSignature", {
    type: "apiKey",
    in: "header",
    name: "Upstash-Signature",
    description: "QStash's signed JWT over the raw body (current or next signing key).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "standardWebhooks", {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description: "Standard Webhooks: HMAC-SHA256 with the workflow's secret over webhook-id, webhook-timestamp and the raw body.",
  });
  const allowed = allowedMethods(app);
  app.notFound((c) => renderNotFound(c, allowed(c.req.path)));
  app.onError(renderError);
  return app;
}
