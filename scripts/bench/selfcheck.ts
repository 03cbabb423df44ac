// Proves the proxy's counter before the bench trusts it: the same four statements (begin,
// set_config($1), select, commit) through the proxy with the delay on, once awaited one by one
// (must count 4 query round trips) and once pipelined by node's pg (must count 1). Likewise for
// the Redis proxy (redisSelfCheck below).
import { Redis } from "@upstash/redis";
import pg from "pg";
import type { PgProxy } from "./pg-proxy.ts";
import type { RedisProxy } from "./redis-proxy.ts";

export interface SelfCheck {
  sequential: number;
  pipelined: number;
  startup: number;
  /** How the server authenticated the connection, from its Authentication requests. */
  auth: string;
  ok: boolean;
}

export async function selfCheck(proxy: PgProxy, databaseUrl: string, delayMs: number): Promise<SelfCheck> {
  const url = new URL(databaseUrl);
  url.port = String(proxy.port);
  const statements: [string, unknown[]?][] = [["begin"], ["select set_config('request.id', $1, true)", ["bench"]], ["select 1"], ["commit"]];

  const run = async (pipeline: boolean) => {
    await proxy.waitIdle();
    proxy.reset();
    proxy.setDelay({ delayMs, delayStartup: true });
    const client = new pg.Client({ connectionString: url.toString(), pipeline } as pg.ClientConfig);
    client.on("error", () => undefined);
    await client.connect();
    try {
      if (pipeline) await Promise.all(statements.map(([text, values]) => client.query(text, values)));
      else for (const [text, values] of statements) await client.query(text, values);
    } finally {
      await client.end();
    }
    proxy.setDelay({ delayMs: 0, delayStartup: true });
    await proxy.waitIdle();
    const [conn] = proxy.connections();
    return { query: conn?.queryRoundTrips ?? NaN, startup: conn?.startupFlights ?? NaN, auth: authName(conn?.authCodes ?? []) };
  };

  const sequential = await run(false);
  const pipelined = await run(true);
  proxy.reset();
  return {
    sequential: sequential.query,
    pipelined: pipelined.query,
    startup: pipelined.startup,
    auth: pipelined.auth,
    ok: sequential.query === 4 && pipelined.query === 1,
  };
}

/** AuthenticationXXX request codes (protocol docs, "Message Formats"), 0 = AuthenticationOk. */
function authName(codes: number[]): string {
  const names: Record<number, string> = { 3: "cleartext password", 5: "md5 password", 10: "SASL (SCRAM)" };
  const asked = codes.filter((c) => c !== 0 && c !== 11 && c !== 12);
  return asked.length === 0 ? "none (trust)" : asked.map((c) => names[c] ?? `method ${c}`).join(", ");
}

export interface RedisSelfCheck {
  /** [HTTP requests, round trips] for each pattern. */
  sequential: [number, number];
  concurrent: [number, number];
  pipelined: [number, number];
  ok: boolean;
}

/**
 * The same proof for the Redis proxy's counter, with the official client through the proxy and
 * the delay on: two commands awaited one by one (2 requests, 2 round trips), two issued together
 * without auto-pipelining (2 requests, 1 round trip), two auto-pipelined (1 request, 1 round trip).
 */
export async function redisSelfCheck(proxy: RedisProxy, token: string, delayMs: number): Promise<RedisSelfCheck> {
  const key = `bench:selfcheck:${crypto.randomUUID()}`;
  const plain = new Redis({ url: proxy.url, token, enableTelemetry: false, enableAutoPipelining: false });
  const auto = new Redis({ url: proxy.url, token, enableTelemetry: false, enableAutoPipelining: true });
  const run = async (fn: () => Promise<unknown>): Promise<[number, number]> => {
    await proxy.waitIdle();
    proxy.reset();
    proxy.setDelay(delayMs);
    try {
      await fn();
    } finally {
      proxy.setDelay(0);
    }
    const requests = proxy.requests();
    return [requests.length, new Set(requests.map((r) => r.flight)).size];
  };
  const sequential = await run(async () => {
    await plain.incr(key);
    await plain.incr(key);
  });
  const concurrent = await run(() => Promise.all([plain.incr(key), plain.expire(key, 60)]));
  const pipelined = await run(() => Promise.all([auto.incr(key), auto.expire(key, 60)]));
  await plain.del(key);
  proxy.reset();
  const same = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];
  return { sequential, concurrent, pipelined, ok: same(sequential, [2, 2]) && same(concurrent, [2, 1]) && same(pipelined, [1, 1]) };
}
