// What a dev database reset must clear besides Postgres, so nothing outlives the rows it was
// about: the API's Redis keys (rate-limit windows, usage counters, revocations, replay ids) and
// QStash's pending messages and dead letters (reminders of appointments that no longer exist), and
// the Auth stand-in's outbox (invitation emails of invitations that no longer exist).
// With the stack running it goes through the stand-ins' own APIs (only the API's key prefixes,
// so a shared REDIS_URL keeps anything else); without it, the QStash state file is removed.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { Redis } from "@upstash/redis";
import { devAuthSecrets, devUpstashSecrets } from "./dev-secret.ts";
import type { StackInfo } from "./local-postgres.ts";
import { dataDir } from "./paths.ts";

const API_KEY_PATTERNS = ["rl:*", "usage:*", "revoked:*", "revoked-token:*", "qstash:*"];

export async function clearDevState(stack: StackInfo | null, log: (msg: string) => void): Promise<void> {
  const secrets = await devUpstashSecrets();
  const outboxFile = `${dataDir}/auth-outbox.jsonl`;
  if (existsSync(outboxFile)) await rm(outboxFile);
  if (stack?.supabaseUrl) {
    const key = (await devAuthSecrets()).supabaseSecretKey;
    await fetch(`${stack.supabaseUrl}/outbox`, { method: "DELETE", headers: { authorization: `Bearer ${key}`, apikey: key } });
  }
  if (!stack?.qstashUrl) {
    const file = `${dataDir}/qstash.json`;
    if (existsSync(file)) await rm(file);
    log("cleared QStash's saved state (its schedules are recreated at the next `npm run dev`); the stack's own redis-server keeps nothing between runs");
    return;
  }
  const redis = new Redis({ url: stack.redisRestUrl, token: secrets.redisRestToken });
  let deleted = 0;
  for (const match of API_KEY_PATTERNS) {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, { match, count: 500 });
      if (keys.length) deleted += await redis.del(...keys);
      cursor = String(next);
    } while (cursor !== "0");
  }
  const auth = { authorization: `Bearer ${secrets.qstashToken}` };
  const cancelled = (await (await fetch(`${stack.qstashUrl}/v2/messages`, { method: "DELETE", headers: auth })).json()) as { cancelled: number };
  const { messages } = (await (await fetch(`${stack.qstashUrl}/v2/dlq`, { headers: auth })).json()) as { messages: { dlqId: string }[] };
  for (const m of messages) await fetch(`${stack.qstashUrl}/v2/dlq/${m.dlqId}`, { method: "DELETE", headers: auth });
  log(`cleared ${deleted} Redis keys, ${cancelled.cancelled} pending QStash messages, ${messages.length} dead letters and the Auth stand-in's outbox`);
}
