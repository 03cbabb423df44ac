// Limits and metering in one step, all issued in the same tick so @upstash/redis's
// auto-pipelining sends them in one round trip: whether this token or member was revoked, what
// is left of the member's fair share and of the tenant's plan window (read, not spent), the
// route's named limit, and the month's usage for the quota. Only an admitted request then spends
// both windows and is metered (sent at once, awaited in waitUntil), so a removed member's
// requests and refused ones never eat into what anyone may do. The price of reading before
// spending: requests in flight at the same instant may overshoot a window by their number.
// When Redis cannot answer, named limits fail closed (503) and the plan limit and metering fail
// open with a log line: an outage must not lock every tenant out, nor open sign-up to floods.
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../../shared/errors.ts";
import { isPlanId, PLANS, type PlanId } from "../../../shared/plans.ts";
import { memberLimit, memberLimiter, namedLimiter, namedLimitOf, planLimiter } from "../../lib/limits.ts";
import { redisFor } from "../../lib/redis.ts";
import { setResponseHeaders } from "../../lib/response-headers.ts";
import { isRevoked, revokeToken, tokenHash } from "../../lib/revocations.ts";
import { meter, monthKey, monthReset, utcMonth } from "../../lib/usage.ts";
import type { AppConfig } from "../../types.ts";

interface Window {
  limit: number;
  remaining: number;
  reset: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function limitHeaders(w: Window, now: number): Record<string, string> {
  return {
    "RateLimit-Limit": String(w.limit),
    "RateLimit-Remaining": String(Math.max(0, w.remaining)),
    "RateLimit-Reset": String(seconds(w.reset - now)),
  };
}

const refused = (w: Window, at: number, detail: string) =>
  new ApiError("rate_limited", detail, { headers: { "Retry-After": String(seconds(w.reset - at)), ...limitHeaders(w, at) } });

const value = <T>(r: PromiseSettledResult<T>): T | undefined => (r.status === "fulfilled" ? r.value : undefined);
const reason = (r: PromiseSettledResult<unknown>) => String(r.status === "rejected" ? r.reason : "timeout");

export function limits(): MiddlewareHandler<AppConfig> {
  return async function limits(c, next) {
    const { env, auth, log } = c.var;
    const redis = redisFor(env);
    const now = new Date();
    const at = now.getTime();
    const tenantId = auth.tenantId;
    const plan: PlanId = isPlanId(auth.claims.tenant_plan) ? auth.claims.tenant_plan : "free";
    const named = namedLimitOf(`${c.req.method} ${c.req.path}`);
    const hash = await tokenHash(c.req.header("authorization"));
    const namedId = named?.by === "token" ? hash : named?.by === "tenant" ? `tenant:${tenantId ?? "none"}` : (c.req.header("cf-connecting-ip") ?? "unknown");
    const issuedAt = typeof auth.claims.iat === "number" ? auth.claims.iat : 0;
    // One of each per request (they hold this request's Redis client): the same one reads and spends.
    const planWindow = tenantId ? planLimiter(redis, plan) : undefined;
    const memberWindow = tenantId ? memberLimiter(redis, plan) : undefined;

    // Everything below is issued in the same tick: one pipelined round trip to Redis.
    const [revokedR, memberR, tenantR, namedR, usageR] = await Promise.allSettled([
      tenantId ? isRevoked(redis, tenantId, auth.userId, hash, issuedAt) : Promise.resolve(false),
      memberWindow ? memberWindow.getRemaining(`member:${tenantId}:${auth.userId}`) : Promise.resolve(undefined),
      planWindow ? planWindow.getRemaining(`tenant:${tenantId}`) : Promise.resolve(undefined),
      named ? namedLimiter(redis, named).limit(namedId) : Promise.resolve(undefined),
      tenantId ? redis.hget<number>(monthKey(tenantId, utcMonth(now)), "api_calls") : Promise.resolve(undefined),
    ]);

    if (value(revokedR)) throw new ApiError("membership_inactive", "this access token was issued before your membership ended");

    if (named) {
      const d = value(namedR);
      if (!d || d.reason === "timeout") {
        log("error", "rate limiter unavailable; refusing a protected route", { limit: named.name, error: reason(namedR) });
        throw new ApiError("unavailable", "rate limiting is unavailable; try again shortly", { headers: { "Retry-After": "5" } });
      }
      c.executionCtx.waitUntil(d.pending);
      if (!d.success) throw refused(d, at, `at most ${named.tokens} per ${named.window} for this route`);
    }

    let tenantWindow: Window | undefined;
    if (tenantId) {
      const member = value(memberR);
      const tenant = value(tenantR);
      if (member && tenant) {
        tenantWindow = { limit: PLANS[plan].rateLimitPerMinute, remaining: tenant.remaining, reset: tenant.reset };
        if (tenant.remaining <= 0) throw refused(tenantWindow, at, `the ${plan} plan allows ${PLANS[plan].rateLimitPerMinute} requests per minute`);
        if (member.remaining <= 0) throw refused(member, at, `one member may use at most ${memberLimit(plan)} of the ${plan} plan's ${PLANS[plan].rateLimitPerMinute} requests per minute`);
      } else {
        log("warn", "rate limiter unavailable; serving without the plan limit", { error: reason(member ? tenantR : memberR) });
      }
      const used = value(usageR);
      if (usageR.status === "rejected") log("warn", "usage metering unavailable; this request is not counted", { error: reason(usageR) });
      const quota = PLANS[plan].monthlyQuotas.api_calls;
      if (used !== undefined && used !== null && Number(used) >= quota) {
        const resets = monthReset(now);
        throw new ApiError("quota_exceeded", `api_calls: the ${plan} plan's ${quota} per month are used up; the quota resets at ${resets.toISOString()}`, {
          headers: { "Retry-After": String(seconds(resets.getTime() - at)) },
        });
      }
      // Admitted: now it spends both windows and is metered, off the response's path.
      const spent = [
        planWindow!.limit(`tenant:${tenantId}`).then((d) => d.pending),
        memberWindow!.limit(`member:${tenantId}:${auth.userId}`).then((d) => d.pending),
        meter(redis, tenantId, "api_calls", 1, now),
      ];
      c.executionCtx.waitUntil(Promise.all(spent).catch((e: unknown) => log("warn", "could not record usage", { error: String(e) })));
    }

    await next();
    if (tenantWindow) {
      const after = { ...tenantWindow, remaining: tenantWindow.remaining - 1 };
      setResponseHeaders(c, limitHeaders(after, at)); // in place: c.header() would copy the Response per header
    }
    // The database refused this token (the member was removed): refuse it here from now on.
    if (c.error instanceof ApiError && c.error.code === "membership_inactive" && tenantId && typeof auth.claims.exp === "number") {
      c.executionCtx.waitUntil(revokeToken(redis, hash, auth.claims.exp).catch((e: unknown) => log("warn", "could not remember a revoked token", { error: String(e) })));
    }
  };
}
