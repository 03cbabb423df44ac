// The Worker's environment, parsed once per isolate at the fetch boundary. Anything missing or
// malformed fails closed: every request answers 500 with a log line naming the bad variable.
// A deployed environment (staging, production) also refuses settings that only make sense on a
// developer's machine: the HS256 dev secret, URLs that are not https or name a loopback, private
// or local host, and CORS origins that are not exact https origins. (The Hyperdrive connection
// string is not checked: in production Hyperdrive shows the Worker its own local address.)
import { z } from "zod";

const csv = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));

/** A webhook secret key: an id, then 32 bytes in base64url (43 characters) or base64 (44 with padding). */
const WEBHOOK_KEY = /^[A-Za-z0-9_-]{1,32}:([A-Za-z0-9_-]{43}|[A-Za-z0-9+/]{43}=)$/;

export const EnvSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "staging", "production"]),
    /** Issuer pinned on every token, e.g. https://<project>.supabase.co/auth/v1 */
    AUTH_ISSUER: z.url(),
    /** Audience pinned on every token; Supabase issues "authenticated". */
    AUTH_AUDIENCE: z.string().min(1).default("authenticated"),
    /** Supabase's JWKS endpoint (ES256/RS256), fetched once per isolate and cached. */
    AUTH_JWKS_URL: z.url().optional(),
    /** An inline JWKS (JSON); used instead of the URL where keys are pinned in config or in tests. */
    AUTH_JWKS: z.string().optional(),
    /** HS256 secret for local development and tests only; refused in staging and production. */
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
    /** Supabase's project URL: the invitation emails go through its Auth admin API. */
    SUPABASE_URL: z.url().optional(),
    /** Supabase's secret API key (sb_secret_…). Only the invitation-email job uses it, for Auth's admin API; it reaches no data (the Data API is off). */
    SUPABASE_SECRET_KEY: z.string().min(1).optional(),
    /** Key of the HMAC that derives each invitation's emailed secret from its id (only its hash is stored). */
    INVITATION_SECRET: z.string().min(32).optional(),
    /** Key of the HMAC that derives each webhook-triggered workflow's signing secret (stored nowhere). Without it, POST /hooks/workflows/{id} answers 503. */
    WORKFLOW_WEBHOOK_SECRET: z.string().min(32).optional(),
    /**
     * Keys that encrypt outbound webhook signing secrets at rest (AES-256-GCM): "<key id>:<base64url of 32 bytes>",
     * comma-separated, the first encrypts and every one decrypts (rotate by prepending). Without it, creating
     * or rotating a webhook endpoint answers 503. Required when deployed.
     */
    WEBHOOK_SECRET_KEYS: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : undefined))
      .refine((keys) => !keys || keys.every((k) => WEBHOOK_KEY.test(k)), "each key is <id>:<base64url of 32 bytes>, the id 1-32 of [A-Za-z0-9_-]")
      .refine((keys) => !keys || new Set(keys.map((k) => k.split(":")[0])).size === keys.length, "key ids must be unique"),
    /**
     * Seconds before a failed workflow step's first retry; each further retry doubles it
     * (functions/lib/workflows/runner.ts). 10 everywhere that is deployed (refused otherwise); a
     * local end-to-end run may shorten it (tests/node/e2e/workflows.test.ts uses 1: 1 s, 2 s).
     */
    WORKFLOW_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(10).default(10),
    /** Key of the HMAC that derives each destination verification's code from its id (only the code's hash is stored). Without it, custom notification addresses stay pending. */
    NOTIFICATION_VERIFY_SECRET: z.string().min(32).optional(),
    /** The app page that accepts an invitation; the secret is appended as ?invitation_token=… */
    INVITATION_ACCEPT_URL: z.url().optional(),
    /** Resend's API (the email channel). Locally the outbound sink (scripts/outbound-sink/server.ts). */
    RESEND_BASE_URL: z.url().default("https://api.resend.com"),
    /** Resend API key (re_…); required when deployed. */
    RESEND_API_KEY: z.string().min(1).optional(),
    /** The sender of reminder emails, e.g. "AI Office <reminders@mail.aioffice.dev>" (a domain verified at Resend). */
    EMAIL_FROM: z.string().min(3).max(320).default("AI Office <reminders@ai-office.localhost>"),
    /** Telegram's Bot API base (the telegram channel). Locally the outbound sink. */
    TELEGRAM_API_URL: z.url().default("https://api.telegram.org"),
    /** The bot's token (123456:ABC…); required when deployed. Part of every Bot API URL: never logged. */
    TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
    /** An OpenAI-compatible chat-completions API (AI workers): MiniMax by default; OpenAI (https://api.openai.com/v1) or Workers AI (https://api.cloudflare.com/client/v4/accounts/<id>/ai/v1) work too. Locally the LLM stand-in (scripts/llm-stand-in/server.ts). */
    LLM_BASE_URL: z.url().default("https://api.minimax.io/v1"),
    LLM_MODEL: z.string().min(1).default("MiniMax-M2.7"),
    /** The provider's API key; required when deployed. Sent only in the Authorization header: never logged. Without one, model calls fail as not_configured and send nothing. */
    LLM_API_KEY: z.string().min(1).optional(),
    /** One model request's deadline in ms (retries have their own bounds in functions/lib/llm/client.ts). */
    LLM_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(30_000),
    HYPERDRIVE: z.custom<Hyperdrive>(
      (v) => typeof v === "object" && v !== null && typeof (v as Hyperdrive).connectionString === "string",
      "a Hyperdrive binding",
    ),
  })
  .superRefine((env, ctx) => {
    if (!env.AUTH_JWKS_URL && !env.AUTH_JWKS && !env.AUTH_DEV_SECRET) {
      ctx.addIssue({ code: "custom", message: "set AUTH_JWKS_URL (or AUTH_JWKS)", path: ["AUTH_JWKS_URL"] });
    }
    if (isDeployed(env.ENVIRONMENT)) {
      if (!env.WEBHOOK_SECRET_KEYS?.length) ctx.addIssue({ code: "custom", message: `is required in ${env.ENVIRONMENT} (webhook secrets at rest)`, path: ["WEBHOOK_SECRET_KEYS"] });
      for (const name of ["SUPABASE_URL", "SUPABASE_SECRET_KEY", "INVITATION_SECRET"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", message: `is required in ${env.ENVIRONMENT} (invitations)`, path: [name] });
      }
      for (const name of ["RESEND_API_KEY", "TELEGRAM_BOT_TOKEN", "NOTIFICATION_VERIFY_SECRET"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", message: `is required in ${env.ENVIRONMENT} (notification channels)`, path: [name] });
      }
      if (!env.LLM_API_KEY) ctx.addIssue({ code: "custom", message: `is required in ${env.ENVIRONMENT} (AI workers)`, path: ["LLM_API_KEY"] });
      if (/\.localhost>?$/.test(env.EMAIL_FROM)) ctx.addIssue({ code: "custom", message: `must be a sender on a verified domain in ${env.ENVIRONMENT}`, path: ["EMAIL_FROM"] });
      refuseDevSettings(env, ctx);
    }
  });

export type AppEnv = z.infer<typeof EnvSchema>;

/** Staging and production run on Cloudflare against the managed services. */
export function isDeployed(environment: AppEnv["ENVIRONMENT"]): boolean {
  return environment === "staging" || environment === "production";
}

/** URLs that must reach the managed services (or name this API) from Cloudflare. */
const PUBLIC_URLS = ["AUTH_ISSUER", "AUTH_JWKS_URL", "PUBLIC_API_URL", "UPSTASH_REDIS_REST_URL", "QSTASH_URL", "SUPABASE_URL", "INVITATION_ACCEPT_URL", "RESEND_BASE_URL", "TELEGRAM_API_URL", "LLM_BASE_URL"] as const;

// Messages name the setting and the rule, never the value (they go to the log).
function refuseDevSettings(env: AppEnv, ctx: z.RefinementCtx): void {
  const where = env.ENVIRONMENT;
  if (env.AUTH_DEV_SECRET) {
    ctx.addIssue({ code: "custom", message: `the HS256 dev secret is refused in ${where}`, path: ["AUTH_DEV_SECRET"] });
  }
  for (const name of PUBLIC_URLS) {
    // Refinements run even when a field failed its own check: skip what z.url() already refused.
    const url = env[name] === undefined ? null : URL.parse(env[name]);
    if (!url) continue;
    if (url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `must be an https URL in ${where}`, path: [name] });
    } else if (isLocalHost(url.hostname)) {
      ctx.addIssue({ code: "custom", message: `names a loopback, private or local host; refused in ${where}`, path: [name] });
    }
  }
  env.CORS_ORIGINS.forEach((origin, i) => {
    const problem = originProblem(origin);
    if (problem) ctx.addIssue({ code: "custom", message: `${problem}; refused in ${where}`, path: ["CORS_ORIGINS", i] });
  });
  env.API_HOSTS.forEach((host, i) => {
    if (isLocalHost(host)) ctx.addIssue({ code: "custom", message: `names a loopback, private or local host; refused in ${where}`, path: ["API_HOSTS", i] });
  });
  if (env.WORKFLOW_RETRY_BASE_SECONDS !== 10) {
    ctx.addIssue({ code: "custom", message: `a shortened workflow retry backoff is for local tests only; refused in ${where}`, path: ["WORKFLOW_RETRY_BASE_SECONDS"] });
  }
  if (env.TENANT_HOST_SUFFIX && isLocalHost(env.TENANT_HOST_SUFFIX.slice(1))) {
    ctx.addIssue({ code: "custom", message: `is a local domain; refused in ${where}`, path: ["TENANT_HOST_SUFFIX"] });
  }
}

/** Why a CORS allow-list entry is unfit for a deployed API, or undefined if it is fine. */
function originProblem(origin: string): string | undefined {
  if (origin.includes("*")) return "a wildcard origin";
  const url = URL.parse(origin);
  if (!url) return "not an origin (https://host[:port])";
  if (url.protocol !== "https:") return "not an https origin";
  // The allow-list is compared with the Origin header as is: a path, a trailing slash or
  // upper case would never match, so only the exact serialized origin is accepted.
  if (url.origin !== origin) return "not an origin (https://host[:port], no path or trailing slash)";
  if (isLocalHost(url.hostname)) return "names a loopback, private or local host";
  return undefined;
}

/**
 * Whether a host name (as URL.hostname gives it: IPv4 dotted, IPv6 in brackets) only makes sense
 * on a developer's machine or a private network: localhost and *.localhost, .local (mDNS),
 * .internal, and loopback, private, link-local, CGNAT and unspecified IPv4/IPv6 addresses.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  if (host === "" || host === "localhost" || /\.(localhost|local|internal)$/.test(host)) return true;
  const v4 = ipv4(host);
  if (v4) return isPrivateIpv4(v4);
  if (host.includes(":")) return isPrivateIpv6(host);
  return false;
}

function ipv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // "this network", 0.0.0.0
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168)
  );
}

function isPrivateIpv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  // IPv4-mapped (::ffff:127.0.0.1, which URL serializes as ::ffff:7f00:1).
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
  if (mapped) {
    const dotted = ipv4(mapped);
    if (dotted) return isPrivateIpv4(dotted);
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(mapped);
    if (hex) {
      const hi = parseInt(hex[1]!, 16);
      const lo = parseInt(hex[2]!, 16);
      return isPrivateIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
    }
  }
  const first = parseInt(host.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 /* unique local fc00::/7 */ || (first & 0xffc0) === 0xfe80; /* link-local fe80::/10 */
}

let cached: { source: unknown; result: ReturnType<typeof EnvSchema.safeParse> } | undefined;

/** Parses the bindings once per isolate (bindings are stable for an isolate's life). */
export function parseEnv(bindings: unknown): ReturnType<typeof EnvSchema.safeParse> {
  if (cached && cached.source === bindings) return cached.result;
  const result = EnvSchema.safeParse(bindings);
  cached = { source: bindings, result };
  return result;
}
