// Local stand-in for Upstash Redis: an HTTP server speaking the Upstash REST protocol in front
// of a real redis-server, so @upstash/redis and @upstash/ratelimit run unchanged in dev/tests.
//
//   node scripts/upstash/redis-rest.ts
//     env: REDIS_URL (else a redis-server is spawned), UPSTASH_REDIS_REST_PORT (8079),
//          UPSTASH_REDIS_REST_TOKEN (default "local-redis-token")
//   then: new Redis({ url: "http://127.0.0.1:8079", token })
import { createServer } from "node:http";
import { closeServer, isEntryPoint, listen, urlHost } from "./shared/http.ts";
import { RedisBridge } from "./redis/client.ts";
import { ensureRedis } from "./redis/ensure.ts";
import { createRedisRestHandler } from "./redis/handler.ts";
import { ScriptShaMap } from "./redis/scripts.ts";

export { ensureRedis, REDIS_INSTALL_HINT, type EnsureRedisOptions, type RunningRedis } from "./redis/ensure.ts";

export interface RedisRestOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  /** The bearer token clients must send (UPSTASH_REDIS_REST_TOKEN). */
  token: string;
  /** redis://[user:password@]host:port[/db] of the real Redis. */
  redisUrl: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

export interface RunningRedisRest {
  /** Base URL for `new Redis({ url, token })`. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export async function startRedisRest(options: RedisRestOptions): Promise<RunningRedisRest> {
  const host = options.host ?? "127.0.0.1";
  // Connects now, so a missing Redis fails at start rather than on the first request.
  const redis = await RedisBridge.open(options.redisUrl, {
    connectTimeoutMs: options.connectTimeoutMs,
    commandTimeoutMs: options.commandTimeoutMs ?? 15_000,
  });
  const handler = createRedisRestHandler({ token: options.token, redis, scripts: new ScriptShaMap() });
  const server = createServer((req, res) => void handler(req, res));
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    stop: async () => {
      await closeServer(server);
      redis.close();
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  const redis = await ensureRedis();
  const token = process.env.UPSTASH_REDIS_REST_TOKEN ?? "local-redis-token";
  const rest = await startRedisRest({ port: Number(process.env.UPSTASH_REDIS_REST_PORT ?? 8079), token, redisUrl: redis.url });
  console.log(`Upstash Redis REST stand-in on ${rest.url} (token ${token}) → ${redis.url}`);
  const shutdown = async () => {
    await rest.stop();
    await redis.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
