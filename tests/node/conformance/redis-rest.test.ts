// Conformance of the local Upstash Redis REST stand-in: the official @upstash/redis and
// @upstash/ratelimit clients, unchanged, against scripts/upstash/redis-rest.ts in front of a
// real redis-server (REDIS_URL, or one spawned for this file).
import { createHash, randomBytes } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/lib/ports.ts";
import { ensureRedis, startRedisRest, type RunningRedis, type RunningRedisRest } from "../../../scripts/upstash/redis-rest.ts";

const token = randomBytes(16).toString("hex");
// Unique key prefix: REDIS_URL may point at a Redis shared with other runs.
const ns = `conformance:${randomBytes(4).toString("hex")}:`;
let server: RunningRedis;
let rest: RunningRedisRest;
let redis: Redis;

beforeAll(async () => {
  server = await ensureRedis(); // throws "…apt-get install redis-server… or set REDIS_URL" when missing
  rest = await startRedisRest({ token, redisUrl: server.url });
  redis = new Redis({ url: rest.url, token, enableTelemetry: false });
}, 20_000);

afterAll(async () => {
  // Leave a shared REDIS_URL as we found it.
  const keys = rest ? await redis.keys(`${ns}*`) : [];
  if (keys.length > 0) await redis.del(...keys);
  await rest?.stop();
  await server?.stop();
});

const raw = (path: string, init: RequestInit & { auth?: string | null } = {}) =>
  fetch(`${rest.url}${path}`, {
    ...init,
    headers: { ...(init.auth === null ? {} : { authorization: `Bearer ${init.auth ?? token}` }), ...(init.headers as Record<string, string>) },
  });

describe("@upstash/redis commands", () => {
  it("set/get round-trips strings, unicode and JSON values", async () => {
    expect(await redis.set(`${ns}s`, "bar")).toBe("OK");
    expect(await redis.get(`${ns}s`)).toBe("bar");
    expect(await redis.set(`${ns}u`, "héllo ✓ 日本")).toBe("OK");
    expect(await redis.get(`${ns}u`)).toBe("héllo ✓ 日本");
    await redis.set(`${ns}j`, { a: 1, b: ["x", null] });
    expect(await redis.get(`${ns}j`)).toEqual({ a: 1, b: ["x", null] });
    expect(await redis.get(`${ns}missing`)).toBeNull();
  });

  it("set with options, incr/incrby, ttl, del and mget (nested null in arrays)", async () => {
    expect(await redis.set(`${ns}nx`, "1", { nx: true })).toBe("OK");
    expect(await redis.set(`${ns}nx`, "2", { nx: true })).toBeNull();
    await redis.set(`${ns}ex`, "v", { ex: 100 });
    const ttl = await redis.ttl(`${ns}ex`);
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await redis.incr(`${ns}n`)).toBe(1);
    expect(await redis.incrby(`${ns}n`, 41)).toBe(42);
    expect(await redis.get(`${ns}n`)).toBe(42);
    expect(await redis.mget(`${ns}s`, `${ns}missing`, `${ns}n`)).toEqual(["bar", null, 42]);
    expect(await redis.del(`${ns}n`, `${ns}missing`)).toBe(1);
  });

  it("hashes, lists and sorted sets come back decoded", async () => {
    await redis.hset(`${ns}h`, { name: "Ada", visits: 3 });
    expect(await redis.hgetall(`${ns}h`)).toEqual({ name: "Ada", visits: 3 });
    await redis.rpush(`${ns}l`, "a", "b", "c");
    expect(await redis.lrange(`${ns}l`, 0, -1)).toEqual(["a", "b", "c"]);
    await redis.zadd(`${ns}z`, { score: 2, member: "two" }, { score: 1, member: "one" });
    expect(await redis.zrange(`${ns}z`, 0, -1, { withScores: true })).toEqual(["one", 1, "two", 2]);
  });

  it("command errors surface as UpstashError with Redis's message", async () => {
    await redis.set(`${ns}str`, "x");
    await expect(redis.incr(`${ns}str`)).rejects.toThrow(/not an integer/);
  });

  it("concurrent calls (auto-pipelined by the client) all land", async () => {
    await Promise.all(Array.from({ length: 25 }, () => redis.incr(`${ns}concurrent`)));
    expect(await redis.get(`${ns}concurrent`)).toBe(25);
  });
});

describe("pipeline and multi-exec", () => {
  it("pipeline returns results in order, errors in their slot", async () => {
    const results = await redis.pipeline().set(`${ns}p`, "1").incr(`${ns}p`).get(`${ns}p`).exec();
    expect(results).toEqual(["OK", 2, 2]);
    const withError = await redis.pipeline().set(`${ns}p2`, "x").incr(`${ns}p2`).get(`${ns}p2`).exec({ keepErrors: true });
    expect(withError[0]).toEqual({ result: "OK", error: undefined });
    expect(withError[1]!.error).toMatch(/not an integer/);
    expect(withError[2]!.result).toBe("x");
    await expect(redis.pipeline().set(`${ns}p3`, "x").incr(`${ns}p3`).exec()).rejects.toThrow(/Command 2 \[ incr \] failed/);
  });

  it("multi-exec runs atomically and reports per-command errors", async () => {
    const results = await redis.multi().set(`${ns}m`, "5").incr(`${ns}m`).lpush(`${ns}m`, "x").exec({ keepErrors: true });
    expect(results[0]!.result).toBe("OK");
    expect(results[1]!.result).toBe(6);
    expect(results[2]!.error).toMatch(/WRONGTYPE/);
    expect(await redis.multi().incr(`${ns}m2`).incr(`${ns}m2`).exec()).toEqual([1, 2]);
  });

  it("a transaction Redis discards is one 400 error and changes nothing", async () => {
    const res = await raw("/multi-exec", { method: "POST", body: JSON.stringify([["SET", `${ns}abort`, "1"], ["NOSUCHCOMMAND"]]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/unknown command/i);
    expect(await redis.get(`${ns}abort`)).toBeNull();
  });
});

describe("scripts", () => {
  it("eval returns nested arrays with integers and strings", async () => {
    const result = await redis.eval("return {KEYS[1], ARGV[1], 42, {7, 'deep'}}", [`${ns}k`], ["v"]);
    expect(result).toEqual([`${ns}k`, "v", 42, [7, "deep"]]);
  });

  it("createScript (EVALSHA, NOSCRIPT → EVAL fallback) works with Upstash-only shebang flags", async () => {
    const source = `#!lua flags=allow-key-locking\nreturn redis.call("INCRBY", KEYS[1], ARGV[1])`;
    const script = redis.createScript<number>(source);
    expect(await script.exec([`${ns}lua`], ["2"])).toBe(2);
    expect(await script.evalsha([`${ns}lua`], ["3"])).toBe(5); // now cached under the client's sha
  });

  it("SCRIPT LOAD answers the sha the client computes; EVALSHA and SCRIPT EXISTS accept it", async () => {
    const source = `#!lua flags=allow-key-locking,no-writes\nreturn ARGV[1] .. "!"`;
    const sha = createHash("sha1").update(source).digest("hex");
    expect(await redis.scriptLoad(source)).toBe(sha);
    expect(await redis.evalsha(sha, [], ["hi"])).toBe("hi!");
    expect(await redis.scriptExists(sha, "0".repeat(40))).toEqual([1, 0]);
  });
});

describe("@upstash/ratelimit", () => {
  it("slidingWindow(5, 10 s): five allowed, the sixth refused, remaining and reset sane", async () => {
    const windowMs = 10_000;
    // Stay clear of a window edge: the previous window's weight would blur the boundary.
    if (windowMs - (Date.now() % windowMs) < 2500) await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 50));
    const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(5, "10 s"), prefix: `${ns}rl`, ephemeralCache: false, analytics: false });
    const start = Date.now();
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await ratelimit.limit("tenant-a"));
    expect(decisions.map((d) => d.success)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    for (const d of decisions) {
      expect(d.limit).toBe(5);
      expect(d.reset).toBeGreaterThan(start);
      expect(d.reset).toBeLessThanOrEqual(start + windowMs);
      expect(d.reset % windowMs).toBe(0);
    }
    const other = await ratelimit.limit("tenant-b");
    expect(other).toMatchObject({ success: true, remaining: 4 });
    expect((await ratelimit.getRemaining("tenant-a")).remaining).toBe(0);
  });
});

describe("REST protocol details", () => {
  it("rejects a missing or wrong token with 401", async () => {
    expect((await raw("/get/x", { auth: null })).status).toBe(401);
    const res = await raw("/get/x", { auth: "wrong" });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
    const intruder = new Redis({ url: rest.url, token: "wrong", enableTelemetry: false, enableAutoPipelining: false });
    await expect(intruder.get("x")).rejects.toThrow(/Unauthorized/);
  });

  it("supports path commands, ?_token=, POST body as last argument and query options", async () => {
    expect(await (await raw(`/set/${ns}path/bar`)).json()).toEqual({ result: "OK" });
    expect(await (await raw(`/get/${ns}path?_token=${token}`, { auth: null })).json()).toEqual({ result: "bar" });
    await raw(`/set/${ns}body?EX=100`, { method: "POST", body: '{"json":true}' });
    expect(await (await raw(`/get/${ns}body`)).json()).toEqual({ result: '{"json":true}' });
    expect(((await (await raw(`/ttl/${ns}body`)).json()) as { result: number }).result).toBeGreaterThan(90);
  });

  it("base64-encodes every string except a top-level OK when asked; integers and nulls stay", async () => {
    const b64 = { "upstash-encoding": "base64" };
    expect(await (await raw(`/set/${ns}enc/bar`, { headers: b64 })).json()).toEqual({ result: "OK" });
    expect(await (await raw(`/get/${ns}enc`, { headers: b64 })).json()).toEqual({ result: "YmFy" });
    expect(await (await raw("/ping", { headers: b64 })).json()).toEqual({ result: "UE9ORw==" });
    const res = await raw("/pipeline", { method: "POST", headers: b64, body: JSON.stringify([["INCR", `${ns}enc-n`], ["MGET", `${ns}enc`, `${ns}none`], ["SET", `${ns}enc`, "x"]]) });
    expect(await res.json()).toEqual([{ result: 1 }, { result: ["YmFy", null] }, { result: "OK" }]);
  });

  it("keeps bytes that are not UTF-8 intact under base64, and HGETALL a flat array", async () => {
    const b64 = { "upstash-encoding": "base64" };
    const script = "redis.call('SET', KEYS[1], string.char(0, 255, 254)); return redis.call('GET', KEYS[1])";
    const evalRes = await raw("/", { method: "POST", headers: b64, body: JSON.stringify(["EVAL", script, "1", `${ns}bin`]) });
    expect(await evalRes.json()).toEqual({ result: "AP/+" });
    expect(await (await raw(`/get/${ns}bin`, { headers: b64 })).json()).toEqual({ result: "AP/+" });
    expect(await (await raw(`/get/${ns}bin`)).json()).toEqual({ result: "\u0000\ufffd\ufffd" });
    await raw(`/hset/${ns}flat/a/1/b/2`);
    expect(await (await raw(`/hgetall/${ns}flat`)).json()).toEqual({ result: ["a", "1", "b", "2"] });
  });

  it("a blocking command waits on its own connection without stalling other requests", async () => {
    const blocked = raw(`/blpop/${ns}queue/5`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 100));
    expect(await redis.set(`${ns}beside`, "1")).toBe("OK");
    await redis.rpush(`${ns}queue`, "job");
    expect(await blocked).toEqual({ result: [`${ns}queue`, "job"] });
  });

  it("a failing command is 400 {error}; other methods are 405; bad JSON is 400", async () => {
    const res = await raw("/", { method: "POST", body: JSON.stringify(["NOSUCHCOMMAND"]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/unknown command/i);
    expect((await raw("/get/x", { method: "DELETE" })).status).toBe(405);
    expect((await raw("/", { method: "POST", body: "not json" })).status).toBe(400);
    const sub = await raw("/", { method: "POST", body: JSON.stringify(["SUBSCRIBE", "chan"]) });
    expect(sub.status).toBe(400);
  });
});

describe("failure modes never hang", () => {
  it("startRedisRest fails fast with a clear message when Redis is unreachable", async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(startRedisRest({ token, redisUrl: `redis://127.0.0.1:${port}`, connectTimeoutMs: 1000 })).rejects.toThrow(
      /could not connect to Redis at 127\.0\.0\.1:\d+/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("ensureRedis explains how to install redis-server when it is missing", async () => {
    const saved = { PATH: process.env.PATH, REDIS_URL: process.env.REDIS_URL };
    process.env.PATH = "/nonexistent";
    delete process.env.REDIS_URL;
    try {
      await expect(ensureRedis()).rejects.toThrow(/apt-get install redis-server.*REDIS_URL/s);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.REDIS_URL !== undefined) process.env.REDIS_URL = saved.REDIS_URL;
    }
  });

  it("ensureRedis rejects an unreachable REDIS_URL instead of waiting", async () => {
    const port = await freePort();
    await expect(ensureRedis({ redisUrl: `redis://127.0.0.1:${port}`, startTimeoutMs: 1000 })).rejects.toThrow(/REDIS_URL=.* is not usable/);
  });
});
