// Rate limits: one sliding window per tenant from its plan; inside it, each member's fair share
// (so no one member, active or removed, can starve the rest of the business); plus stricter
// named limits keyed by client IP (or token) for routes that attackers like. Named limits fail
// closed when Redis cannot answer; the plan limit fails open with a log line (README).
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis/cloudflare";
import { PLANS, type PlanId } from "../../shared/plans.ts";

export interface NamedLimit {
  name: string;
  tokens: number;
  window: `${number} ${"s" | "m" | "h"}`;
  /** What identifies the caller for this limit (tenant: the token's tenant, shared by its members). */
  by: "ip" | "token" | "tenant";
}

export const NAMED_LIMITS = {
  signup: { name: "signup", tokens: 5, window: "1 m", by: "ip" },
  login: { name: "login", tokens: 10, window: "1 m", by: "ip" },
  scim: { name: "scim", tokens: 600, window: "1 m", by: "token" },
  // Each invitation sends an email: bounded per business so nobody turns it into a spam relay
  // (sign-up is limited per IP; bulk onboarding goes through SCIM).
  invite: { name: "invite", tokens: 200, window: "1 h", by: "tenant" },
  // Each ad-hoc reminder sends up to one message per channel: bounded per business likewise.
  remind: { name: "remind", tokens: 1000, window: "1 h", by: "tenant" },
  // Each webhook endpoint multiplies every event into outbound requests: created slowly.
  webhooks: { name: "webhooks", tokens: 30, window: "1 h", by: "tenant" },
  // Each replay sends a delivery out again: bounded per business.
  replay: { name: "webhook-replay", tokens: 100, window: "1 h", by: "tenant" },
} as const satisfies Record<string, NamedLimit>;

/** Routes with a named limit, by "METHOD path". */
export const LIMITED_ROUTES: Record<string, NamedLimit> = {
  "POST /v1/tenants": NAMED_LIMITS.signup,
  "POST /v1/me/active-tenant": NAMED_LIMITS.login,
  "POST /v1/members/invitations": NAMED_LIMITS.invite,
  "POST /v1/invitations/accept": NAMED_LIMITS.login,
  "POST /v1/automation/reminders": NAMED_LIMITS.remind,
  "POST /v1/automation/webhooks": NAMED_LIMITS.webhooks,
};

/** Routes with path parameters and a named limit, by a pattern over "METHOD path". */
const LIMITED_ROUTE_PATTERNS: [RegExp, NamedLimit][] = [
  [/^POST \/v1\/automation\/webhooks\/[^/]+\/deliveries\/[^/]+\/replay$/, NAMED_LIMITS.replay],
];

/** The named limit of a request ("METHOD path"), if any. */
export const namedLimitOf = (route: string): NamedLimit | undefined =>
  LIMITED_ROUTES[route] ?? LIMITED_ROUTE_PATTERNS.find(([pattern]) => pattern.test(route))?.[1];

// Blocked identifiers are remembered per isolate, which spares Redis calls during a flood.
const ephemeralCache = new Map<string, number>();

export function planLimiter(redis: Redis, plan: PlanId): Ratelimit {
  return new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(PLANS[plan].rateLimitPerMinute, "1 m"),
    prefix: `rl:plan:${plan}`,
    ephemeralCache,
    timeout: 1_000,
    analytics: false,
  });
}

/** No member may use more than this share of the tenant's per-minute limit. */
export const MEMBER_SHARE = 0.5;

export const memberLimit = (plan: PlanId) => Math.max(1, Math.floor(PLANS[plan].rateLimitPerMinute * MEMBER_SHARE));

export function memberLimiter(redis: Redis, plan: PlanId): Ratelimit {
  return new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(memberLimit(plan), "1 m"),
    prefix: `rl:member:${plan}`,
    ephemeralCache,
    timeout: 1_000,
    analytics: false,
  });
}

export function namedLimiter(redis: Redis, limit: NamedLimit): Ratelimit {
  return new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(limit.tokens, limit.window),
    prefix: `rl:${limit.name}`,
    ephemeralCache,
    timeout: 1_000,
    analytics: false,
  });
}
