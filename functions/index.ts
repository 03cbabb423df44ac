// Worker entry: nothing but the fetch boundary.
import { buildApp } from "./app.ts";
import { stripTenantHeaders } from "./lib/strip-tenant-headers.ts";
import type { Bindings } from "./types.ts";

const app = buildApp();

export default {
  fetch(request, env, ctx) {
    return app.fetch(stripTenantHeaders(request), env, ctx);
  },
} satisfies ExportedHandler<Bindings>;
