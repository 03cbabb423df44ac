// Starts the real stack once per test run: an ephemeral PostgreSQL with the bootstrap (as the
// superuser), every migration and the seed (as the non-superuser postgres, as on hosted
// Supabase); a fresh HS256 dev secret and an ES256 key pair (its public half is the Worker's
// pinned JWKS). Both test projects share it; it is torn down after the run.
import { mkdtemp, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import type { TestProject } from "vitest/node";
import { apiUrl, migrate, prepareDatabase } from "../../scripts/lib/migrate.ts";
import { findPgbouncer, INSTALL_HINT, startPgbouncer } from "../../scripts/lib/pgbouncer.ts";
import { startPostgres } from "../../scripts/lib/postgres/server.ts";
import { startUpstashStack } from "../../scripts/lib/upstash-stack.ts";
import { startLlmStandIn, STAND_IN_MODEL } from "../../scripts/llm-stand-in/server.ts";
import { startOutboundSink } from "../../scripts/outbound-sink/server.ts";
import { startAuthStandIn } from "../../scripts/supabase-auth/server.ts";
import { TEST_AUDIENCE, TEST_ISSUER, workerTestBindings } from "./config.ts";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    /** The cluster's superuser (db `postgres`): only for tests that build scratch databases. */
    superuserUrl: string;
    databaseUrl: string;
    devSecret: string;
    signingJwk: Record<string, unknown>;
    publicJwk: Record<string, unknown>;
    workerBindings: Record<string, string>;
    redisRestUrl: string;
    redisRestToken: string;
    qstashCurrentSigningKey: string;
    qstashNextSigningKey: string;
    /** The Supabase Auth stand-in (SUPABASE_URL) and its service key, for reading its outbox. */
    supabaseUrl: string;
    supabaseSecretKey: string;
    /** The outbound sink (Resend + Telegram Bot API stand-in) and its API key, for GET/DELETE /messages. */
    sinkUrl: string;
    sinkKey: string;
    /** The LLM stand-in's origin (LLM_BASE_URL is this + /v1), its API key and its control key (tests/support/llm.ts). */
    llmUrl: string;
    llmApiKey: string;
    llmControlKey: string;
  }
}

interface Stack {
  adminUrl: string;
  superuserUrl: string;
  databaseUrl: string;
  devSecret: string;
  signingJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  upstash: Awaited<ReturnType<typeof startUpstashStack>>;
  auth: { url: string; secretKey: string; invitationSecret: string };
  sink: { url: string; resendApiKey: string; telegramBotToken: string };
  llm: { url: string; baseUrl: string; apiKey: string; controlKey: string };
  stop: () => Promise<void>;
}

// Both projects run this file in the same process: start the stack once, stop it once.
const shared = globalThis as unknown as { __aiOfficeStack?: Promise<Stack>; __aiOfficeUsers?: number };

async function startStack(): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), "ai-office-test-pg-"));
  const [pg, upstash] = await Promise.all([startPostgres({ dataDir, persistent: false }), startUpstashStack({ qstashTickMs: 0 })]);
  const apiPassword = randomBytes(16).toString("hex");
  await prepareDatabase(pg, "office_test");
  await migrate(pg.adminUrl("office_test"), { seed: true, apiPassword });
  // The Worker reaches Postgres through a transaction-mode pooler where one is installed, as
  // Hyperdrive pools in production: a request then reuses a warm backend instead of forking one,
  // which is most of a request's cost on two cores. `npm test` installs it as root (pretest).
  const binary = findPgbouncer();
  const bouncer = binary
    ? await startPgbouncer({ binary, pgPort: pg.port, database: "office_test", users: { office_api: apiPassword }, poolSize: 20 })
    : undefined;
  if (!bouncer) console.log(`[tests] pgbouncer not found: the Worker connects to Postgres directly (slower). To pool as CI does: ${INSTALL_HINT}`);
  const secretKey = randomBytes(24).toString("base64url");
  const auth = await startAuthStandIn({ databaseUrl: pg.adminUrl("office_test"), secretKey });
  const resendApiKey = `re_${randomBytes(16).toString("hex")}`;
  const telegramBotToken = `${randomBytes(3).readUIntBE(0, 3)}:${randomBytes(16).toString("base64url")}`;
  const sink = await startOutboundSink({ databaseUrl: pg.adminUrl("office_test"), resendApiKey, telegramBotToken });
  const llmKeys = { apiKey: `sk-test-${randomBytes(16).toString("hex")}`, controlKey: randomBytes(16).toString("hex") };
  const llm = await startLlmStandIn(llmKeys);
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `test-${randomBytes(4).toString("hex")}`;
  return {
    adminUrl: pg.adminUrl("office_test"),
    superuserUrl: pg.superuserUrl(),
    databaseUrl: bouncer?.url("office_api") ?? apiUrl(pg.adminUrl("office_test"), apiPassword),
    devSecret: randomBytes(32).toString("base64url"),
    signingJwk: { ...(await exportJWK(privateKey)), kid, alg: "ES256" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" },
    upstash,
    auth: { url: auth.url, secretKey, invitationSecret: randomBytes(32).toString("base64url") },
    sink: { url: sink.url, resendApiKey, telegramBotToken },
    llm: { url: llm.url, baseUrl: llm.baseUrl, ...llmKeys },
    stop: async () => {
      await llm.stop();
      await sink.stop();
      await auth.stop();
      await bouncer?.stop();
      await upstash.stop();
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  shared.__aiOfficeStack ??= startStack();
  shared.__aiOfficeUsers = (shared.__aiOfficeUsers ?? 0) + 1;
  const stack = await shared.__aiOfficeStack;
  project.provide("adminUrl", stack.adminUrl);
  project.provide("superuserUrl", stack.superuserUrl);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("devSecret", stack.devSecret);
  project.provide("signingJwk", stack.signingJwk);
  project.provide("publicJwk", stack.publicJwk);
  project.provide("workerBindings", {
    ...workerTestBindings({ devSecret: stack.devSecret, jwks: JSON.stringify({ keys: [stack.publicJwk] }) }),
    ...stack.upstash.bindings,
    SUPABASE_URL: stack.auth.url,
    SUPABASE_SECRET_KEY: stack.auth.secretKey,
    INVITATION_SECRET: stack.auth.invitationSecret,
    RESEND_BASE_URL: stack.sink.url,
    RESEND_API_KEY: stack.sink.resendApiKey,
    TELEGRAM_API_URL: stack.sink.url,
    TELEGRAM_BOT_TOKEN: stack.sink.telegramBotToken,
    WORKFLOW_WEBHOOK_SECRET: randomBytes(32).toString("base64url"),
    // Two keys, the current first: secrets sealed under either decrypt.
    WEBHOOK_SECRET_KEYS: `test2:${randomBytes(32).toString("base64url")},test1:${randomBytes(32).toString("base64url")}`,
    LLM_BASE_URL: stack.llm.baseUrl,
    LLM_API_KEY: stack.llm.apiKey,
    LLM_MODEL: STAND_IN_MODEL,
    NOTIFICATION_VERIFY_SECRET: randomBytes(32).toString("base64url"),
  });
  project.provide("sinkUrl", stack.sink.url);
  project.provide("sinkKey", stack.sink.resendApiKey);
  project.provide("llmUrl", stack.llm.url);
  project.provide("llmApiKey", stack.llm.apiKey);
  project.provide("llmControlKey", stack.llm.controlKey);
  project.provide("supabaseUrl", stack.auth.url);
  project.provide("supabaseSecretKey", stack.auth.secretKey);
  project.provide("redisRestUrl", stack.upstash.redisRestUrl);
  project.provide("redisRestToken", stack.upstash.redisRestToken);
  project.provide("qstashCurrentSigningKey", stack.upstash.currentSigningKey);
  project.provide("qstashNextSigningKey", stack.upstash.nextSigningKey);
  return async () => {
    shared.__aiOfficeUsers = (shared.__aiOfficeUsers ?? 1) - 1;
    if (shared.__aiOfficeUsers === 0) await stack.stop();
  };
}

export { TEST_AUDIENCE, TEST_ISSUER };
