// The API Worker without rate limits and metering, for `npm run bench`'s throughput comparison:
// functions/index.ts with buildApp({ limits: false }). The bench copies this file into its
// snapshot of the tree (same relative path), so these imports resolve to the snapshot, and runs
// it under `wrangler dev` with the API Worker's wrangler.toml and bindings.
import { buildApp } from "../../functions/app.ts";
import { stripTenantHeaders } from "../../functions/lib/strip-tenant-headers.ts";
import type { Bindings } from "../../functions/types.ts";

const app = buildApp({ limits: false });

export default {
  fetch(request, env, ctx) {
    return app.fetch(stripTenantHeaders(request), env, ctx);
  },
} satisfies ExportedHandler<Bindings>;
