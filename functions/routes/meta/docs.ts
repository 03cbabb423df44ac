// The rendered API reference. Its UI script is served from this Worker's static assets
// (/vendor/scalar/standalone.js, copied from @scalar/api-reference), never from a CDN.
import { Scalar } from "@scalar/hono-api-reference";
import type { App } from "../../types.ts";

export const SCALAR_SCRIPT = "/vendor/scalar/standalone.js";

export const register = (app: App) =>
  app.get("/docs", Scalar({ url: "/openapi.json", cdn: SCALAR_SCRIPT, pageTitle: "AI Office API" }));
