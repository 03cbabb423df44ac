// The price list: rate limits and monthly quotas per plan. Mirrors the `plans` table (a test
// checks they agree); the Worker reads it from here so limits cost no database round trip.
export const METRICS = ["api_calls", "task_runs", "agent_runs", "tokens_in", "tokens_out", "reports", "successful_outcomes"] as const;
export type Metric = (typeof METRICS)[number];
export type PlanId = "free" | "pro" | "enterprise";

export interface Plan {
  name: string;
  rateLimitPerMinute: number;
  monthlyQuotas: Record<Metric, number>;
  /** Caps on automation: workflows a business keeps, outbound messages (email + Telegram) per UTC day. */
  automationLimits: { workflows: number; dailyMessages: number };
  /** AI workers: tokens (in + out) a business may use per calendar month (UTC); runs reserve before each model call. */
  monthlyTokenBudget: number;
}

export const PLANS: Record<PlanId, Plan> = {
  free: {
    name: "Free",
    rateLimitPerMinute: 120,
    monthlyQuotas: { api_calls: 50_000, task_runs: 500, agent_runs: 200, tokens_in: 500_000, tokens_out: 200_000, reports: 20, successful_outcomes: 200 },
    automationLimits: { workflows: 10, dailyMessages: 200 },
    monthlyTokenBudget: 200_000,
  },
  pro: {
    name: "Pro",
    rateLimitPerMinute: 1_200,
    monthlyQuotas: { api_calls: 2_000_000, task_runs: 20_000, agent_runs: 10_000, tokens_in: 50_000_000, tokens_out: 20_000_000, reports: 1_000, successful_outcomes: 10_000 },
    automationLimits: { workflows: 100, dailyMessages: 5_000 },
    monthlyTokenBudget: 20_000_000,
  },
  enterprise: {
    name: "Enterprise",
    rateLimitPerMinute: 6_000,
    monthlyQuotas: { api_calls: 50_000_000, task_runs: 500_000, agent_runs: 250_000, tokens_in: 1_000_000_000, tokens_out: 400_000_000, reports: 50_000, successful_outcomes: 250_000 },
    automationLimits: { workflows: 1_000, dailyMessages: 100_000 },
    monthlyTokenBudget: 500_000_000,
  },
};

export const isPlanId = (v: unknown): v is PlanId => typeof v === "string" && Object.hasOwn(PLANS, v);
