// The local stand-ins for Upstash: a real redis-server (REDIS_URL, or one started here) behind
// the Upstash REST protocol, and the QStash server. Used by `npm run dev`, `npm test` and the
// bench. Fails with a clear message (how to install redis-server) rather than hanging.
import { randomBytes } from "node:crypto";
import { startQStash, type RunningQStash } from "../upstash/qstash.ts";
import { ensureRedis, startRedisRest } from "../upstash/redis-rest.ts";

export interface UpstashStack {
  redisRestUrl: string;
  redisRestToken: string;
  qstashUrl: string;
  qstashToken: string;
  currentSigningKey: string;
  nextSigningKey: string;
  qstash: RunningQStash;
  /** The Worker's bindings for these services. */
  bindings: Record<string, string>;
  stop: () => Promise<void>;
}

export interface UpstashStackOptions {
  /** Fixed secrets (dev keeps them across restarts); random when omitted. */
  secrets?: { redisRestToken: string; qstashToken: string; currentSigningKey: string; nextSigningKey: string };
  redisRestPort?: number;
  qstashPort?: number;
  qstashStateFile?: string;
  qstashTickMs?: number;
  qstashRetryBaseMs?: number;
}

const secret = () => randomBytes(24).toString("base64url");

export async function startUpstashStack(options: UpstashStackOptions = {}): Promise<UpstashStack> {
  const s = options.secrets ?? { redisRestToken: secret(), qstashToken: secret(), currentSigningKey: `sig_${secret()}`, nextSigningKey: `sig_${secret()}` };
  const redis = await ensureRedis();
  const stops: (() => Promise<void>)[] = [() => redis.stop()];
  try {
    const rest = await startRedisRest({ token: s.redisRestToken, redisUrl: redis.url, port: options.redisRestPort });
    stops.unshift(() => rest.stop());
    const qstash = await startQStash({
      token: s.qstashToken,
      currentSigningKey: s.currentSigningKey,
      nextSigningKey: s.nextSigningKey,
      port: options.qstashPort,
      stateFile: options.qstashStateFile,
      tickMs: options.qstashTickMs,
      retryBaseMs: options.qstashRetryBaseMs,
    });
    stops.unshift(() => qstash.stop());
    return {
      redisRestUrl: rest.url,
      redisRestToken: s.redisRestToken,
      qstashUrl: qstash.url,
      qstashToken: s.qstashToken,
      currentSigningKey: s.currentSigningKey,
      nextSigningKey: s.nextSigningKey,
      qstash,
      bindings: {
        UPSTASH_REDIS_REST_URL: rest.url,
        UPSTASH_REDIS_REST_TOKEN: s.redisRestToken,
        QSTASH_URL: qstash.url,
        QSTASH_TOKEN: s.qstashToken,
        QSTASH_CURRENT_SIGNING_KEY: s.currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: s.nextSigningKey,
      },
      stop: async () => {
        for (const stop of stops) await stop().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw e;
  }
}
