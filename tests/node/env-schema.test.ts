// The Worker's environment schema (shared/env.ts): in staging and production it refuses every
// setting that only makes sense locally, and the vars wrangler.toml ships for those environments
// (read the way wrangler reads them: no inheritance of vars) pass it with the secrets set.
import { describe, expect, it } from "vitest";
import { EnvSchema, isLocalHost } from "../../shared/env.ts";

const hyperdrive = { connectionString: "postgres://user:pass@127.0.0.1:5432/db" }; // what Hyperdrive shows the Worker

/** A complete, valid production environment: wrangler.toml's vars plus `wrangler secret put`s. */
function production(overrides: Record<string, string | undefined> = {}): Record<string, unknown> {
  return {
    ENVIRONMENT: "production",
    AUTH_ISSUER: "https://abcdefghijklmnop.supabase.co/auth/v1",
    AUTH_AUDIENCE: "authenticated",
    AUTH_JWKS_URL: "https://abcdefghijklmnop.supabase.co/auth/v1/.well-known/jwks.json",
    TENANT_HOST_SUFFIX: ".api.aioffice.dev",
    API_HOSTS: "api.aioffice.dev",
    CORS_ORIGINS: "https://app.aioffice.dev,https://admin.aioffice.dev",
    PUBLIC_API_URL: "https://api.aioffice.dev",
    UPSTASH_REDIS_REST_URL: "https://eu1-example-12345.upstash.io",
    UPSTASH_REDIS_REST_TOKEN: "redis-token",
    QSTASH_URL: "https://qstash.upstash.io",
    QSTASH_TOKEN: "qstash-token",
    QSTASH_CURRENT_SIGNING_KEY: "sig_current",
    QSTASH_NEXT_SIGNING_KEY: "sig_next",
    SUPABASE_URL: "https://abcdefghijklmnop.supabase.co",
    SUPABASE_SECRET_KEY: "sb_secret_example",
    INVITATION_SECRET: "an-invitation-hmac-key-of-32-chars-or-more",
    NOTIFICATION_VERIFY_SECRET: "a-verification-hmac-key-of-32-chars-or-more",
    RESEND_API_KEY: "re_example",
    TELEGRAM_BOT_TOKEN: "123456:example",
    WEBHOOK_SECRET_KEYS: "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    LLM_API_KEY: "llm-key-example",
    EMAIL_FROM: "AI Office <reminders@mail.aioffice.dev>",
    HYPERDRIVE: hyperdrive,
    ...overrides,
  };
}

/** "PATH: message" for every issue, as the env middleware logs them. */
function problems(bindings: Record<string, unknown>): string[] {
  const parsed = EnvSchema.safeParse(bindings);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("EnvSchema in staging and production", () => {
  it("accepts a complete production configuration (the Hyperdrive connection string is not checked)", () => {
    expect(problems(production())).toEqual([]);
    expect(problems(production({ ENVIRONMENT: "staging" }))).toEqual([]);
    // An inline JWKS (keys pinned in config) instead of the URL is fine too.
    expect(problems(production({ AUTH_JWKS_URL: undefined, AUTH_JWKS: '{"keys":[]}' }))).toEqual([]);
  });

  for (const environment of ["staging", "production"]) {
    it(`${environment}: refuses the HS256 dev secret`, () => {
      expect(problems(production({ ENVIRONMENT: environment, AUTH_DEV_SECRET: "x".repeat(32) }))).toEqual([
        `AUTH_DEV_SECRET: the HS256 dev secret is refused in ${environment}`,
      ]);
    });
  }

  const urls = ["AUTH_ISSUER", "AUTH_JWKS_URL", "PUBLIC_API_URL", "UPSTASH_REDIS_REST_URL", "QSTASH_URL"];
  const localUrls = [
    "https://localhost/x",
    "https://127.0.0.1:8787",
    "https://127.1", // URL normalizes it to 127.0.0.1
    "https://[::1]:8080",
    "https://[::ffff:127.0.0.1]",
    "https://0.0.0.0",
    "https://10.1.2.3",
    "https://172.20.0.5",
    "https://192.168.1.10",
    "https://169.254.169.254",
    "https://100.64.0.1",
    "https://[fd12:3456::1]",
    "https://[fe80::1]",
    "https://api.localhost",
    "https://redis.local",
    "https://host.docker.internal",
  ];
  for (const name of urls) {
    it(`refuses a non-https or loopback/private ${name}`, () => {
      expect(problems(production({ [name]: "http://abcdefghijklmnop.supabase.co/auth/v1" }))).toEqual([`${name}: must be an https URL in production`]);
      for (const url of localUrls) {
        expect(problems(production({ [name]: url })), url).toEqual([`${name}: names a loopback, private or local host; refused in production`]);
      }
      expect(problems(production({ ENVIRONMENT: "staging", [name]: "http://127.0.0.1:8080" }))).toEqual([`${name}: must be an https URL in staging`]);
    });
  }

  it("refuses a wildcard, non-https, non-origin or local CORS origin, naming the entry", () => {
    const cors = (list: string) => problems(production({ CORS_ORIGINS: list }));
    expect(cors("*")).toEqual(["CORS_ORIGINS.0: a wildcard origin; refused in production"]);
    expect(cors("https://app.aioffice.dev,https://*.aioffice.dev")).toEqual(["CORS_ORIGINS.1: a wildcard origin; refused in production"]);
    expect(cors("http://app.aioffice.dev")).toEqual(["CORS_ORIGINS.0: not an https origin; refused in production"]);
    expect(cors("http://localhost:5173")).toEqual(["CORS_ORIGINS.0: not an https origin; refused in production"]);
    expect(cors("https://localhost:5173")).toEqual(["CORS_ORIGINS.0: names a loopback, private or local host; refused in production"]);
    expect(cors("https://app.aioffice.dev/")).toEqual(["CORS_ORIGINS.0: not an origin (https://host[:port], no path or trailing slash); refused in production"]);
    expect(cors("app.aioffice.dev")).toEqual(["CORS_ORIGINS.0: not an origin (https://host[:port]); refused in production"]);
    expect(cors("")).toEqual([]); // no browser frontends: no CORS headers at all
  });

  it("refuses local API hosts and a local tenant host suffix", () => {
    expect(problems(production({ API_HOSTS: "api.aioffice.dev,localhost,127.0.0.1" }))).toEqual([
      "API_HOSTS.1: names a loopback, private or local host; refused in production",
      "API_HOSTS.2: names a loopback, private or local host; refused in production",
    ]);
    expect(problems(production({ TENANT_HOST_SUFFIX: ".localhost" }))).toEqual(["TENANT_HOST_SUFFIX: is a local domain; refused in production"]);
  });

  it("keeps the workflow retry backoff at 10 s when deployed; a local run may shorten it (1–10)", () => {
    expect(EnvSchema.parse(production()).WORKFLOW_RETRY_BASE_SECONDS).toBe(10);
    expect(problems(production({ WORKFLOW_RETRY_BASE_SECONDS: "10" }))).toEqual([]);
    for (const environment of ["production", "staging"]) {
      expect(problems(production({ ENVIRONMENT: environment, WORKFLOW_RETRY_BASE_SECONDS: "1" }))).toEqual([
        `WORKFLOW_RETRY_BASE_SECONDS: a shortened workflow retry backoff is for local tests only; refused in ${environment}`,
      ]);
    }
    const test = { ENVIRONMENT: "test", AUTH_DEV_SECRET: "x".repeat(32) };
    expect(EnvSchema.parse(production({ ...test, WORKFLOW_RETRY_BASE_SECONDS: "1" })).WORKFLOW_RETRY_BASE_SECONDS).toBe(1);
    for (const bad of ["0", "11", "1.5", "soon"]) expect(problems(production({ ...test, WORKFLOW_RETRY_BASE_SECONDS: bad }))).toHaveLength(1);
  });

  it("refuses the whole local development configuration, every setting named", () => {
    const local = production({
      ENVIRONMENT: "production",
      AUTH_ISSUER: "http://127.0.0.1:54321/auth/v1",
      AUTH_JWKS_URL: undefined,
      AUTH_DEV_SECRET: "x".repeat(32),
      TENANT_HOST_SUFFIX: ".localhost",
      API_HOSTS: "localhost,127.0.0.1",
      CORS_ORIGINS: "http://localhost:5173",
      PUBLIC_API_URL: "http://127.0.0.1:8787",
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079",
      QSTASH_URL: "http://127.0.0.1:8080",
      SUPABASE_URL: "http://127.0.0.1:54321",
    });
    expect(problems(local).map((p) => p.split(":")[0])).toEqual([
      "AUTH_DEV_SECRET", "AUTH_ISSUER", "PUBLIC_API_URL", "UPSTASH_REDIS_REST_URL", "QSTASH_URL", "SUPABASE_URL",
      "CORS_ORIGINS.0", "API_HOSTS.0", "API_HOSTS.1", "TENANT_HOST_SUFFIX",
    ]);
    // The same settings are what development and tests run on.
    expect(problems({ ...local, ENVIRONMENT: "development" })).toEqual([]);
    expect(problems({ ...local, ENVIRONMENT: "test" })).toEqual([]);
  });

  it("requires keys for webhook secrets at rest when deployed, each <id>:<32 bytes>, ids unique", () => {
    expect(problems(production({ WEBHOOK_SECRET_KEYS: undefined }))).toEqual(["WEBHOOK_SECRET_KEYS: is required in production (webhook secrets at rest)"]);
    expect(problems(production({ WEBHOOK_SECRET_KEYS: "k1:short" }))[0]).toMatch(/^WEBHOOK_SECRET_KEYS: each key is/);
    expect(problems(production({ WEBHOOK_SECRET_KEYS: `k1:${"A".repeat(43)},k1:${"B".repeat(43)}` }))[0]).toMatch(/^WEBHOOK_SECRET_KEYS: key ids must be unique/);
    expect(problems(production({ WEBHOOK_SECRET_KEYS: `k2:${"A".repeat(43)}, k1:${"B".repeat(43)}=` }))).toEqual([]);
    expect(problems(production({ WEBHOOK_SECRET_KEYS: undefined, ENVIRONMENT: "test", AUTH_DEV_SECRET: "x".repeat(32) }))).toEqual([]);
  });

  it("requires what invitations need (Supabase Auth and the invitation key), only when deployed", () => {
    const missing = { SUPABASE_URL: undefined, SUPABASE_SECRET_KEY: undefined, INVITATION_SECRET: undefined };
    expect(problems(production(missing))).toEqual([
      "SUPABASE_URL: is required in production (invitations)",
      "SUPABASE_SECRET_KEY: is required in production (invitations)",
      "INVITATION_SECRET: is required in production (invitations)",
    ]);
    expect(problems(production({ ...missing, ENVIRONMENT: "development", AUTH_DEV_SECRET: "x".repeat(32) }))).toEqual([]);
    expect(problems(production({ INVITATION_SECRET: "too short" }))[0]).toMatch(/^INVITATION_SECRET: /);
  });

  it("requires the notification channels' keys and a real sender, only when deployed", () => {
    expect(problems(production({ RESEND_API_KEY: undefined, TELEGRAM_BOT_TOKEN: undefined, NOTIFICATION_VERIFY_SECRET: undefined, EMAIL_FROM: "AI Office <x@ai-office.localhost>" }))).toEqual([
      "RESEND_API_KEY: is required in production (notification channels)",
      "TELEGRAM_BOT_TOKEN: is required in production (notification channels)",
      "NOTIFICATION_VERIFY_SECRET: is required in production (notification channels)",
      "EMAIL_FROM: must be a sender on a verified domain in production",
    ]);
    expect(problems(production({ RESEND_BASE_URL: "http://127.0.0.1:9999", TELEGRAM_API_URL: "https://10.0.0.1" }))).toEqual([
      "RESEND_BASE_URL: must be an https URL in production",
      "TELEGRAM_API_URL: names a loopback, private or local host; refused in production",
    ]);
    expect(problems(production({ RESEND_API_KEY: undefined, TELEGRAM_BOT_TOKEN: undefined, ENVIRONMENT: "test", AUTH_DEV_SECRET: "x".repeat(32) }))).toEqual([]);
  });

  it("requires the model provider's key only when deployed, and an https public LLM_BASE_URL there", () => {
    expect(problems(production({ LLM_API_KEY: undefined }))).toEqual(["LLM_API_KEY: is required in production (AI workers)"]);
    expect(problems(production({ LLM_BASE_URL: "http://127.0.0.1:9999/v1" }))).toEqual(["LLM_BASE_URL: must be an https URL in production"]);
    expect(problems(production({ LLM_BASE_URL: "https://10.0.0.1/v1" }))).toEqual(["LLM_BASE_URL: names a loopback, private or local host; refused in production"]);
    expect(problems(production({ LLM_TIMEOUT_MS: "10" }))[0]).toMatch(/^LLM_TIMEOUT_MS: /);
    expect(problems(production({ LLM_API_KEY: undefined, LLM_BASE_URL: "http://127.0.0.1:9999/v1", ENVIRONMENT: "test", AUTH_DEV_SECRET: "x".repeat(32) }))).toEqual([]);
    const parsed = EnvSchema.parse(production({ LLM_TIMEOUT_MS: "45000" }));
    expect([parsed.LLM_BASE_URL, parsed.LLM_MODEL, parsed.LLM_TIMEOUT_MS]).toEqual(["https://api.minimax.io/v1", "MiniMax-M2.7", 45_000]);
  });

  it("reports a malformed URL as such (the deployed-environment rules do not throw on it)", () => {
    expect(problems(production({ AUTH_ISSUER: "not a url", QSTASH_URL: "::" }))).toEqual(["AUTH_ISSUER: Invalid URL", "QSTASH_URL: Invalid URL"]);
  });

  it("isLocalHost leaves public names and addresses alone", () => {
    for (const host of ["api.aioffice.dev", "qstash.upstash.io", "8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]", "localhost.example.com", "internal.example.com"]) {
      expect(isLocalHost(host), host).toBe(false);
    }
  });
});

describe("wrangler.toml's environments", () => {
  // wrangler reads vars and bindings per environment with no inheritance from the top level.
  const readConfig = async (env: string | undefined) => (await import("wrangler")).unstable_readConfig({ config: "wrangler.toml", env }, { hideWarnings: true });
  const secrets = {
    UPSTASH_REDIS_REST_URL: "https://eu1-example-12345.upstash.io",
    UPSTASH_REDIS_REST_TOKEN: "redis-token",
    QSTASH_URL: "https://qstash.upstash.io",
    QSTASH_TOKEN: "qstash-token",
    QSTASH_CURRENT_SIGNING_KEY: "sig_current",
    QSTASH_NEXT_SIGNING_KEY: "sig_next",
    SUPABASE_SECRET_KEY: "sb_secret_example",
    INVITATION_SECRET: "an-invitation-hmac-key-of-32-chars-or-more",
    NOTIFICATION_VERIFY_SECRET: "a-verification-hmac-key-of-32-chars-or-more",
    RESEND_API_KEY: "re_example",
    TELEGRAM_BOT_TOKEN: "123456:example",
    WEBHOOK_SECRET_KEYS: "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    LLM_API_KEY: "llm-key-example",
  };

  for (const environment of ["staging", "production"]) {
    it(`[env.${environment}] has its own complete vars and Hyperdrive binding, and passes the schema with its secrets`, async () => {
      const config = await readConfig(environment);
      expect(config.name).toBe(`ai-office-api-${environment}`);
      expect(config.vars.ENVIRONMENT).toBe(environment);
      expect(config.hyperdrive).toEqual([expect.objectContaining({ binding: "HYPERDRIVE" })]);
      expect(config.build.command).toContain("vendor-assets");
      expect(config.assets?.directory).toBe("./public");
      expect(problems({ ...config.vars, ...secrets, HYPERDRIVE: hyperdrive })).toEqual([]);
    });
  }

  it("the top level is development, and would be refused if deployed as production", async () => {
    const config = await readConfig(undefined);
    expect(config.vars.ENVIRONMENT).toBe("development");
    const local = { ...config.vars, ...secrets, AUTH_DEV_SECRET: "x".repeat(32), HYPERDRIVE: hyperdrive };
    expect(problems(local)).toEqual([]);
    expect(problems({ ...local, ENVIRONMENT: "production" })).not.toEqual([]);
  });
});
