// Limits and metering in one step: the plan's sliding window for the tenant, the route's named
// limit (sign-up, login-like) and the usage counters are issued together, so they cost one
// Redis round trip (auto-pipelining). Their bookkeeping (`pending`) runs after the response.
// When Redis cannot answer, named limits fail closed (503) and the plan limit and metering fail
// open with a log line: an outage must not lock every tenant out, nor open sign-up to floods.
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../../shared/errors.ts";
import { isPlanId, PLANS } from "../../../shared/plans.ts";
import { LIMITED_ROUTES, namedLimiter, planLimiter } from "../../lib/limits.ts";
import { redisFor } from "../../lib/redis.ts";
import { meter, monthReset } from "../../lib/usage.ts";
import type { AppConfig } from "../../types.ts";

type Decision = Awaited<ReturnType<ReturnType<typeof planLimiter>["limit"]>>;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function limitHeaders(d: Decision, now: number): Record<string, string> {
  return {
    "RateLimit-Limit": String(d.limit),
    "RateLimit-Remaining": String(Math.max(0, d.remaining)),
    "RateLimit-Reset": String(seconds(d.reset - now)),
  };
}

async function tokenKey(authorization: string | undefined): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(authorization ?? ""));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function limits(): MiddlewareHandler<AppConfig> {
  return async function limits(c, next) {
    const { env, auth, log } = c.var;
    const redis = redisFor(env);
    const now = new Date();
    const tenantId = auth.tenantId;
    const plan = isPlanId(auth.claims.tenant_plan) ? auth.claims.tenant_plan : "free";
    const named = LIMITED_ROUTES[`${c.req.method} ${c.req.path}`];
    const namedId = named?.by === "token" ? await tokenKey(c.req.header("authorization")) : (c.req.header("cf-connecting-ip") ?? "unknown");

    // Everything below is issued in the same tick: one pipelined request to Redis.
    const [planResult, namedResult, usageResult] = await Promise.allSettled([
      tenantId ? planLimiter(redis, plan).limit(`tenant:${tenantId}`) : Promise.resolve(undefined),
      named ? namedLimiter(redis, named).limit(namedId) : Promise.resolve(undefined),
      tenantId ? meter(redis, tenantId, "api_calls", 1, now) : Promise.resolve(undefined),
    ]);
    const at = now.getTime();

    if (named) {
      const d = namedResult.status === "fulfilled" ? namedResult.value : undefined;
      if (!d || d.reason === "timeout") {
        log("error", "rate limiter unavailable; refusing a protected route", { limit: named.name, error: String((namedResult as PromiseRejectedResult).reason ?? "timeout") });
        throw new ApiError("unavailable", "rate limiting is unavailable; try again shortly", { headers: { "Retry-After": "5" } });
      }
      c.executionCtx.waitUntil(d.pending);
      if (!d.success) {
        throw new ApiError("rate_limited", `at most ${named.tokens} per ${named.window} for this route`, {
          headers: { "Retry-After": String(seconds(d.reset - at)), ...limitHeaders(d, at) },
        });
      }
    }

    let planDecision: Decision | undefined;
    if (tenantId) {
      if (planResult.status === "fulfilled" && planResult.value && planResult.value.reason !== "timeout") {
        planDecision = planResult.value;
        c.executionCtx.waitUntil(planDecision.pending);
        if (!planDecision.success) {
          throw new ApiError("rate_limited", `the ${plan} plan allows ${PLANS[plan].rateLimitPerMinute} requests per minute`, {
            headers: { "Retry-After": String(seconds(planDecision.reset - at)), ...limitHeaders(planDecision, at) },
          });
        }
      } else {
        log("warn", "rate limiter unavailable; serving without the plan limit", { error: String((planResult as PromiseRejectedResult).reason ?? "timeout") });
      }
      if (usageResult.status === "fulfilled" && usageResult.value !== undefined) {
        const quota = PLANS[plan].monthlyQuotas.api_calls;
        if (usageResult.value > quota) {
          const resets = monthReset(now);
          throw new ApiError("quota_exceeded", `api_calls: the ${plan} plan's ${quota} per month are used up; the quota resets at ${resets.toISOString()}`, {
            headers: { "Retry-After": String(seconds(resets.getTime() - at)) },
          });
        }
      } else {
        log("warn", "usage metering unavailable; this request is not counted", { error: String((usageResult as PromiseRejectedResult).reason) });
      }
    }

    await next();
    if (planDecision) for (const [k, v] of Object.entries(limitHeaders(planDecision, at))) c.header(k, v);
  };
}
