// The rendered API reference. Its UI script is served from this Worker's static assets
// (/vendor/scalar/standalone.js, copied from @scalar/api-reference), never from a CDN, and the
// page loads nothing else from outside the Worker (tests/node/docs-page.test.ts watches a browser
// load it). Scalar's defaults that would (checked against @scalar/api-reference 1.72):
// - withDefaultFonts: its @font-face rules fetch Inter and JetBrains Mono from fonts.scalar.com;
//   off, the page uses the system's fonts.
// - hideClientButton: the sidebar's "Open API Client" links to client.scalar.com (the in-page
//   "Test Request" client stays).
// - showDeveloperTools: on localhost a toolbar offers "Share" and "Deploy" (uploads to
//   registry.scalar.com / dashboard.scalar.com).
// - agent, mcp: on localhost "Ask AI" (Scalar's hosted agent) and "Generate MCP" appear unless
//   disabled.
// - proxyUrl: "" sends the test client's requests straight to this API (some layouts default to
//   proxy.scalar.com when it is unset).
// - telemetry: off (the bundle sends none today; stated so an update cannot start).
import { Scalar } from "@scalar/hono-api-reference";
import type { App } from "../../types.ts";

export const SCALAR_SCRIPT = "/vendor/scalar/standalone.js";

export const register = (app: App) =>
  app.get(
    "/docs",
    Scalar({
      url: "/openapi.json",
      cdn: SCALAR_SCRIPT,
      pageTitle: "AI Office API",
      withDefaultFonts: false,
      hideClientButton: true,
      showDeveloperTools: "never",
      agent: { disabled: true },
      mcp: { disabled: true },
      proxyUrl: "",
      telemetry: false,
    }),
  );
