// Which tenant, if any, a request's Host names. The API's own hosts name none; `<slug><suffix>`
// names a tenant by slug; any other host can only be a tenant's custom primary host. The answer
// is checked against the token's tenant inside the request's transaction (private.enter_tenant).
import type { AppEnv } from "../../shared/env.ts";

export interface HostClaim {
  hostSlug: string | null;
  customHost: string | null;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function tenantFromHost(hostHeader: string | undefined, env: AppEnv): HostClaim {
  const host = (hostHeader ?? "").toLowerCase().replace(/:\d+$/, "");
  if (!host || LOCAL_HOSTS.has(host) || env.API_HOSTS.includes(host)) return { hostSlug: null, customHost: null };
  const suffix = env.TENANT_HOST_SUFFIX;
  if (suffix && host.endsWith(suffix)) {
    return { hostSlug: host.slice(0, -suffix.length), customHost: null };
  }
  return { hostSlug: null, customHost: host };
}
