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

// What app.doc31() serves, generated once per app (on the first request, when every route has
// registered) instead of on every request: walking every route's schemas and serialising
// ~120 KB costs milliseconds of CPU, on a public route.
export const register = (app: App) => {
  let json: string | undefined;
  return app.get("/openapi.json", (c) => {
    try {
      json ??= JSON.stringify(app.getOpenAPI31Document(openApiInfo));
    } catch (e) {
      return c.json(e as object, 500);
    }
    return c.body(json, 200, { "content-type": "application/json" });
  });
};
