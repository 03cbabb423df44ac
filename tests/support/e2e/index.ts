// The end-to-end harness: for one test file, the API Worker over HTTP (wrangler dev) on its own
// migrated database in the test cluster, with the run's Redis REST stand-in, its own Supabase Auth
// stand-in, and its own QStash stand-in delivering in real time to this Worker (PUBLIC_API_URL is
// the Worker's URL, so outbox-drain publishes to it and the signatures' `sub` match). The
// outbox-drain schedule is registered as in production and fires every 500 ms.
//
//   const e2e = useE2E();             // beforeAll starts it, afterAll stops everything
//   const t = await e2e.seedTenant();
//   const res = await e2e.call("/v1/appointments", { method: "POST", body }, await t.employee.token());
//   await waitFor("the reminder", () => e2e.sql("select …"));
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { freePort } from "../../../scripts/lib/ports.ts";
import { startAuthStandIn } from "../../../scripts/supabase-auth/server.ts";
import { planE2EDatabase, type E2EDatabase } from "./database.ts";
import { startE2EQStash, type E2EQStash, type E2EQStashOptions } from "./qstash.ts";
import { seedE2ETenant, type E2ETenant } from "./seed.ts";
import { waitFor } from "./wait-for.ts";
import { startReceiver, type E2EReceiver } from "./receiver.ts";
import { reserveWorkerUrl, startE2EWorker } from "./worker.ts";

export { waitFor } from "./wait-for.ts";
export type { E2ETenant, E2EUser } from "./seed.ts";
export type { Received } from "./receiver.ts";

export interface CallInit {
  method?: string;
  /** JSON-encoded (content-type set) unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface E2E {
  /** The Worker's base URL (also its PUBLIC_API_URL). */
  url: string;
  db: E2EDatabase;
  qstash: E2EQStash;
  /** The webhook receiver, when started with `receiverSuffix` (else using it throws). */
  receiver: E2EReceiver;
  /** An HTTP request to the Worker; `token` becomes the bearer credential. */
  call: (path: string, init?: CallInit, token?: string) => Promise<Response>;
  /** Rows of a query as the project owner (postgres, not a superuser) on the e2e database. */
  sql: <R extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<R[]>;
  /** A business with an owner and an employee, and tokens for them. */
  seedTenant: () => Promise<E2ETenant>;
  /** Milliseconds start-up took. */
  startupMs: number;
  stop: () => Promise<void>;
}

export interface E2EOptions {
  qstash?: E2EQStashOptions;
  /** More Worker bindings (vars), or overrides of the test ones (e.g. a channel provider's stand-in URL). */
  vars?: Record<string, string>;
  /**
   * Hosts under this suffix (e.g. ".e2e.example") reach `e2e.receiver` instead of the network:
   * the Worker is started through wrangler's API with a dev-only outbound hook
   * (worker-with-receivers.ts); its code, SSRF guard included, is unchanged.
   */
  receiverSuffix?: string;
  /** How long the Worker may take to answer /healthz (wrangler dev builds and starts workerd). */
  startTimeoutMs?: number;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const started = Date.now();
  // Stopped in this order: QStash first (no delivery or schedule may hit a Worker that is going
  // away), then the Worker, the Auth stand-in, the pool, and last the database.
  const parts: Partial<Record<"qstash" | "worker" | "receiver" | "auth" | "pool" | "db", () => Promise<unknown>>> = {};
  const stopAll = async () => {
    for (const name of ["qstash", "worker", "receiver", "auth", "pool", "db"] as const) {
      const stop = parts[name];
      delete parts[name];
      if (!stop) continue;
      // Bounded, so one stuck part cannot keep the others (the Worker's processes) running.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("did not stop within 10 s"), 10_000)));
      const outcome = await Promise.race([stop().then(() => undefined, (error: Error) => error.message), timeout]);
      clearTimeout(timer);
      if (outcome) console.warn(`[e2e] stopping ${name}: ${outcome}`);
    }
  };
  try {
    const qstash = await startE2EQStash(options.qstash);
    parts.qstash = () => qstash.stop();
    const [url, authPort] = await Promise.all([reserveWorkerUrl(), freePort()]);
    const db = planE2EDatabase();
    parts.db = () => db.drop();
    const auth = { url: `http://127.0.0.1:${authPort}`, secretKey: randomBytes(24).toString("base64url") };
    const vars = {
      ...inject("workerBindings"),
      ...qstash.bindings,
      // 127.0.0.1 is always an API host to the Worker (functions/lib/tenant-host.ts).
      PUBLIC_API_URL: url,
      SUPABASE_URL: auth.url,
      SUPABASE_SECRET_KEY: auth.secretKey,
      ...options.vars,
    };
    const receiver = options.receiverSuffix ? await startReceiver() : undefined;
    if (receiver) parts.receiver = () => receiver.stop();
    // wrangler dev builds and starts while the database is migrated; /healthz waits for both.
    const worker = await startE2EWorker(url, db.apiUrl, vars, receiver && { suffix: options.receiverSuffix!, url: receiver.url });
    parts.worker = () => worker.stop();
    await db.create();
    const authStandIn = await startAuthStandIn({ databaseUrl: db.adminUrl, secretKey: auth.secretKey, port: authPort });
    parts.auth = () => authStandIn.stop();
    const pool = new pg.Pool({ connectionString: db.adminUrl, max: 2 });
    pool.on("error", () => undefined);
    parts.pool = () => pool.end();
    await worker.ready(options.startTimeoutMs ?? 60_000);
    await qstash.syncSchedules(url);
    // Warm-up: the first outbox-drain run (a cold isolate, first database connection) is the slow
    // one; scenarios that measure in seconds start after it.
    await waitFor("the first outbox-drain delivery", () => qstash.events().some((e) => e.scheduleId && e.state === "DELIVERED"), {
      timeoutMs: 30_000,
    });
    return {
      url,
      db,
      qstash,
      get receiver(): E2EReceiver {
        if (!receiver) throw new Error("no receiver: start the harness with receiverSuffix");
        return receiver;
      },
      call: (path, init = {}, token) => {
        const headers = new Headers(init.headers);
        if (token) headers.set("authorization", `Bearer ${token}`);
        let body = init.rawBody;
        if (init.body !== undefined) {
          body = JSON.stringify(init.body);
          if (!headers.has("content-type")) headers.set("content-type", "application/json");
        }
        return fetch(`${url}${path}`, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body, signal: AbortSignal.timeout(20_000) });
      },
      sql: async (text, params) => (await pool.query(text, params)).rows,
      seedTenant: () => seedE2ETenant(pool),
      startupMs: Date.now() - started,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Starts the harness in beforeAll and stops it in afterAll; the returned object forwards to it
 * (use it inside tests and hooks only).
 */
export function useE2E(options: E2EOptions = {}): E2E {
  let e2e: E2E | undefined;
  beforeAll(async () => {
    e2e = await startE2E(options);
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);
  return new Proxy({} as E2E, {
    get(_, key) {
      if (!e2e) throw new Error(`the e2e harness is not running (e2e.${String(key)} used outside a test, or start-up failed)`);
      return e2e[key as keyof E2E];
    },
  });
}
