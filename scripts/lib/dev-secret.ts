// Local secrets (JWT signing, stand-in tokens, QStash signing keys, the Auth stand-in's key): generated once per
// checkout, kept in .data/ (gitignored), never committed.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dataDir, devSecretFile } from "./paths.ts";

async function stored(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export const devSecret = () => stored(devSecretFile);

export async function devUpstashSecrets() {
  return {
    redisRestToken: await stored(`${dataDir}/redis-rest-token`),
    qstashToken: await stored(`${dataDir}/qstash-token`),
    currentSigningKey: `sig_${await stored(`${dataDir}/qstash-current-signing-key`)}`,
    nextSigningKey: `sig_${await stored(`${dataDir}/qstash-next-signing-key`)}`,
  };
}

/** The Supabase Auth stand-in's secret key and the invitation HMAC key. */
export async function devAuthSecrets() {
  return {
    supabaseSecretKey: `sb_secret_${await stored(`${dataDir}/supabase-secret-key`)}`,
    invitationSecret: await stored(`${dataDir}/invitation-secret`),
    // The outbound sink's keys (RESEND_API_KEY, TELEGRAM_BOT_TOKEN for the Worker).
    resendApiKey: `re_${await stored(`${dataDir}/resend-api-key`)}`,
    telegramBotToken: `1000001:${await stored(`${dataDir}/telegram-bot-token`)}`,
  };
}

/** The LLM stand-in's API key (LLM_API_KEY for the Worker) and its control key (scripting, recorded requests). */
export async function devLlmSecrets() {
  return { apiKey: `sk-local-${await stored(`${dataDir}/llm-api-key`)}`, controlKey: await stored(`${dataDir}/llm-control-key`) };
}
