// The OpenAPI 3.1 document, generated from the registered routes (never written by hand).
import type { App } from "../../types.ts";

export const openApiInfo = {
  openapi: "3.1.0",
  info: {
    title: "AI Office API",
    version: "0.1.0",
    description:
      "Multi-tenant API for running a business's office. Every tenant route acts only in the tenant named by the verified access token; isolation is enforced by Postgres Row-Level Security. Errors are RFC 9457 problem+json with a stable `code`.",
  },
  servers: [{ url: "/" }],
};

export const register = (app: App) => app.doc31("/openapi.json", openApiInfo);
