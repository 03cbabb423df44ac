// The Worker's environment, parsed once per isolate at the fetch boundary. Anything missing or
// malformed fails closed: every request answers 500 with a log line naming the bad variable.
import { z } from "zod";

const csv = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));

export const EnvSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "production"]),
    /** Issuer pinned on every token, e.g. https://<project>.supabase.co/auth/v1 */
    AUTH_ISSUER: z.url(),
    /** Audience pinned on every token; Supabase issues "authenticated". */
    AUTH_AUDIENCE: z.string().min(1).default("authenticated"),
    /** Supabase's JWKS endpoint (ES256/RS256), fetched once per isolate and cached. */
    AUTH_JWKS_URL: z.url().optional(),
    /** An inline JWKS (JSON); used instead of the URL where keys are pinned in config or in tests. */
    AUTH_JWKS: z.string().optional(),
    /** HS256 secret for local development and tests only; refused in production. */
    AUTH_DEV_SECRET: z.string().min(32).optional(),
    /** Hostname suffix of tenant hosts, e.g. ".api.aioffice.dev" makes acme.api.aioffice.dev acme's host. */
    TENANT_HOST_SUFFIX: z.string().regex(/^\.[a-z0-9.-]+$/).optional(),
    /** Hosts that serve the API itself (not a tenant), comma-separated. */
    API_HOSTS: csv,
    CORS_ORIGINS: csv,
    LOG_LEVEL: z.enum(["info", "warn", "error"]).default("info"),
    /** Upstash Redis (REST): rate limits and usage counters. */
    UPSTASH_REDIS_REST_URL: z.url(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
    /** Upstash QStash: the signed channel of scheduled work. */
    QSTASH_URL: z.url(),
    QSTASH_TOKEN: z.string().min(1),
    QSTASH_CURRENT_SIGNING_KEY: z.string().min(1),
    QSTASH_NEXT_SIGNING_KEY: z.string().min(1),
    /** This API's public base URL: what QStash delivers to, and what its signatures name. */
    PUBLIC_API_URL: z.url(),
    HYPERDRIVE: z.custom<Hyperdrive>(
      (v) => typeof v === "object" && v !== null && typeof (v as Hyperdrive).connectionString === "string",
      "a Hyperdrive binding",
    ),
  })
  .superRefine((env, ctx) => {
    if (!env.AUTH_JWKS_URL && !env.AUTH_JWKS && !env.AUTH_DEV_SECRET) {
      ctx.addIssue({ code: "custom", message: "set AUTH_JWKS_URL (or AUTH_JWKS)", path: ["AUTH_JWKS_URL"] });
    }
    if (env.ENVIRONMENT === "production" && env.AUTH_DEV_SECRET) {
      ctx.addIssue({ code: "custom", message: "the HS256 dev secret is refused in production", path: ["AUTH_DEV_SECRET"] });
    }
  });

export type AppEnv = z.infer<typeof EnvSchema>;

let cached: { source: unknown; result: ReturnType<typeof EnvSchema.safeParse> } | undefined;

/** Parses the bindings once per isolate (bindings are stable for an isolate's life). */
export function parseEnv(bindings: unknown): ReturnType<typeof EnvSchema.safeParse> {
  if (cached && cached.source === bindings) return cached.result;
  const result = EnvSchema.safeParse(bindings);
  cached = { source: bindings, result };
  return result;
}
