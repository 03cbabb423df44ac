// Tenant-scoped routes: the tenant is the one the verified token names, nothing else (x-tenant-*
// headers were stripped at the fetch boundary; there is no default tenant). The membership and
// the request's host are checked by the first statement of the request's own transaction, so
// the check costs no extra round trip and is re-done by RLS on every statement anyway.
import type { MiddlewareHandler } from "hono";
import { tenantFromHost } from "../../lib/tenant-host.ts";
import type { AppConfig } from "../../types.ts";
import { tokenRefused } from "../authenticate/index.ts";

/** `staff` routes refuse customers, `portal` routes refuse staff (checked in the database). */
export function tenantContext(audience: "staff" | "portal" | "any" = "staff"): MiddlewareHandler<AppConfig> {
  return async function tenantContext(c, next) {
    const tenantId = c.var.auth.tenantId;
    if (!tenantId) throw tokenRefused("token_no_tenant", "the token names no active business; choose one with POST /v1/me/active-tenant and refresh the token");
    c.set("tenantId", tenantId);
    c.var.db.configure({ tenantGuard: { ...tenantFromHost(new URL(c.req.url).host, c.var.env), audience } });
    await next();
  };
}
