// The bridge's side of the real redis-server, through ioredis. One shared connection carries
// every request: ioredis pipelines them and pairs replies in order, and a MULTI…EXEC batch is
// written in one go, so it stays contiguous. A blocking command gets a connection of its own so
// it cannot stall everyone else's replies. Every wait is bounded, so a dead Redis fails fast.
import { createRequire } from "node:module";
import type { Redis as RedisClient } from "ioredis";

// Loaded through require, not import: ioredis is CommonJS and defines its `default` export as a
// non-configurable property, so a second evaluation (vitest loads the shared global setup through
// both vite's loader and Node's) throws "Cannot redefine property: default". require's cache
// evaluates it once for everyone.
const Redis = (createRequire(import.meta.url)("ioredis") as { Redis: typeof RedisClient }).Redis;
type Redis = RedisClient;

/** Replies as ioredis gives them in buffer mode: strings stay bytes until the HTTP layer encodes them. */
export type Reply = Buffer | number | null | Error | Reply[];

export interface RedisClientOptions {
  connectTimeoutMs?: number;
  /** Upper bound for a non-blocking command; Redis that stops answering fails the request. */
  commandTimeoutMs?: number;
}

/** An error Redis answered (as opposed to a connection failure or timeout of the bridge). */
export const isReplyError = (value: unknown): value is Error => value instanceof Error && value.name === "ReplyError";

export async function connectRedis(url: string, options: RedisClientOptions = {}): Promise<Redis> {
  if (!/^rediss?:\/\//i.test(url)) {
    throw new Error(`invalid Redis URL ${JSON.stringify(url)}; expected redis[s]://[user:password@]host:port[/db]`);
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    // A request made while Redis is away fails at once instead of waiting out reconnects.
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  // ioredis reports socket errors as events (and prints them without a listener); connect()
  // itself only says "Connection is closed", so keep the cause for the message below.
  let cause: Error | undefined;
  redis.on("error", (error: Error) => (cause = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const where = `${redis.options.host}:${redis.options.port}`;
    const message = (cause ?? (error as Error)).message;
    if (/ETIMEDOUT/.test(message)) {
      throw new Error(`could not connect to Redis at ${where} within ${connectTimeoutMs} ms (is redis-server running? check REDIS_URL)`, { cause: error });
    }
    const hint = /ECONNREFUSED/.test(message) ? " (nothing listens there: start redis-server or fix REDIS_URL)" : "";
    throw new Error(`could not connect to Redis at ${where}: ${message}${hint}`, { cause: error });
  }
  return redis;
}

/** Connects and PINGs with a hard time limit. */
export async function ping(url: string, timeoutMs: number): Promise<void> {
  const redis = await connectRedis(url, { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs });
  try {
    const reply = await redis.ping();
    if (reply !== "PONG") throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
  } finally {
    redis.disconnect();
  }
}

const BLOCKING = new Set([
  "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop", "wait", "waitaof",
]);

function isBlocking(command: readonly string[]): boolean {
  const name = command[0]?.toLowerCase() ?? "";
  if (BLOCKING.has(name)) return true;
  return (name === "xread" || name === "xreadgroup") && command.some((a) => a.toLowerCase() === "block");
}

// ioredis reshapes some replies by lower-case command name (HGETALL into an object); Upstash
// returns Redis's flat array, so commands go out under their upper-case name, which it leaves alone.
const nameOf = (command: readonly string[]) => command[0]!.toUpperCase();

export class RedisBridge {
  // Blocking commands' own connections, so close() ends any still waiting.
  private readonly dedicated = new Set<Redis>();
  private closed = false;
  private readonly shared: Redis;
  private readonly url: string;
  private readonly options: RedisClientOptions;

  private constructor(shared: Redis, url: string, options: RedisClientOptions) {
    this.shared = shared;
    this.url = url;
    this.options = options;
  }

  static async open(url: string, options: RedisClientOptions = {}): Promise<RedisBridge> {
    return new RedisBridge(await connectRedis(url, options), url, options);
  }

  /** Runs commands as one pipelined batch; Redis's errors come back in their slots. */
  async run(commands: readonly (readonly string[])[]): Promise<Reply[]> {
    if (this.closed) throw new Error("the Redis bridge is closed");
    if (!commands.some(isBlocking)) return this.pipeline(this.shared, commands);
    const redis = await connectRedis(this.url, { connectTimeoutMs: this.options.connectTimeoutMs });
    this.dedicated.add(redis);
    try {
      return await this.pipeline(redis, commands);
    } finally {
      this.dedicated.delete(redis);
      redis.disconnect();
    }
  }

  /** MULTI … EXEC; a transaction Redis discards is one error (the first queueing error, if any). */
  async transaction(commands: readonly (readonly string[])[]): Promise<Reply[] | Error> {
    if (this.closed) throw new Error("the Redis bridge is closed");
    const multi = this.shared.multi();
    for (const command of commands) multi.callBuffer(nameOf(command), ...command.slice(1));
    try {
      const results = await multi.exec();
      // null: Redis aborted EXEC (e.g. a WATCHed key changed).
      return results ? results.map(([error, value]) => unwrap(error, value)) : Object.assign(new Error("EXECABORT Transaction discarded"), { name: "ReplyError" });
    } catch (error) {
      if (!isReplyError(error)) throw error;
      const previous = (error as Error & { previousErrors?: Error[] }).previousErrors;
      return previous?.[0] ?? error;
    }
  }

  close(): void {
    this.closed = true;
    for (const redis of this.dedicated) redis.disconnect();
    this.dedicated.clear();
    this.shared.disconnect();
  }

  private async pipeline(redis: Redis, commands: readonly (readonly string[])[]): Promise<Reply[]> {
    const pipeline = redis.pipeline();
    for (const command of commands) pipeline.callBuffer(nameOf(command), ...command.slice(1));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => unwrap(error, value));
  }
}

// A reply error stays a value in its slot; anything else (timeout, lost connection) fails the request.
function unwrap(error: Error | null, value: unknown): Reply {
  if (!error) return value as Reply;
  if (isReplyError(error)) return error;
  throw error;
}
