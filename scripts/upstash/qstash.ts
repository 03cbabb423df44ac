// Local stand-in for Upstash QStash: the v2 HTTP API that @upstash/qstash calls, delivering
// to real HTTP destinations with Upstash-Signature JWTs that @upstash/qstash's Receiver accepts.
//
//   node scripts/upstash/qstash.ts
//     env: QSTASH_PORT (8080), QSTASH_TOKEN, QSTASH_CURRENT_SIGNING_KEY, QSTASH_NEXT_SIGNING_KEY
//          (dev defaults below), QSTASH_STATE_FILE (.data/qstash.json)
//   then: new Client({ baseUrl: "http://127.0.0.1:8080", token })
//
// Time and tests: the server reads time only from `now()` (default Date.now). It processes
// work every `tickMs` (default 100 ms; 0 = never on its own) and right after each publish.
// Tests pass a fake clock and `tickMs: 0`, move the clock, and `await server.tick()`: that fires
// every schedule whose next cron time is ≤ now() and attempts every message due by now(), and
// resolves when those attempts are done (retries/callbacks they cause are due on a later tick).
// Delivery JWTs always use wall-clock time, so receivers verify them whatever the fake clock says.
import { createServer } from "node:http";
import { closeServer, isEntryPoint, listen, urlHost } from "./shared/http.ts";
import { createQStashHandler } from "./qstash/api.ts";
import { QStashEngine, type QStashEvent } from "./qstash/engine.ts";
import { loadState, StateWriter } from "./qstash/store.ts";
import type { QStashState } from "./qstash/types.ts";

export type { QStashEvent } from "./qstash/engine.ts";
export { parseCron, type Cron } from "./qstash/cron.ts";

export interface QStashOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  /** Bearer token for the API (QSTASH_TOKEN). */
  token: string;
  /** Signs deliveries (QSTASH_CURRENT_SIGNING_KEY). */
  currentSigningKey: string;
  /** Served by GET /v2/keys; receivers accept it too (QSTASH_NEXT_SIGNING_KEY). */
  nextSigningKey: string;
  /** JSON file for pending messages, schedules, dedupe ids and the DLQ (dev: under .data/). */
  stateFile?: string;
  /** Scales retry backoff: 1000 (default) = Upstash's timing (12 s, 2m28s, 30m…); 1 = 12 ms, 148 ms, 1.8 s. */
  retryBaseMs?: number;
  /** Background processing interval; 0 disables it (drive with tick()). Default 100. */
  tickMs?: number;
  /** The clock for delays, not-before, cron and dedupe windows. Default Date.now. */
  now?: () => number;
  /** Upstash-Retries when a message does not say (Upstash: 3). */
  defaultRetries?: number;
  /** How long a deduplication id is remembered (default 10 minutes). */
  dedupeWindowMs?: number;
  /**
   * Tests only: every schedule fires each N ms rather than at its cron times (cron's finest
   * step is a minute). The API stays QStash's; schedules still need a valid cron.
   */
  scheduleEveryMs?: number;
  /** Per-attempt HTTP timeout unless Upstash-Timeout says otherwise (default 30 s). */
  deliveryTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningQStash {
  /** Base URL for `new Client({ baseUrl: url, token })`. */
  url: string;
  port: number;
  /** Fire due schedules and attempt due messages at now(); resolves when those attempts finish. */
  tick: () => Promise<void>;
  /** Resolves when no delivery is in flight. */
  idle: () => Promise<void>;
  /** Recent delivery events, oldest first (CREATED, ACTIVE, DELIVERED, RETRY, FAILED, CANCELLED). */
  events: () => QStashEvent[];
  /** A copy of the state that would be persisted. */
  state: () => QStashState;
  /** Aborts in-flight deliveries (they stay pending), writes the state file, closes the server. */
  stop: () => Promise<void>;
}

export async function startQStash(options: QStashOptions): Promise<RunningQStash> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.warn(`[qstash stand-in] ${line}`));
  const engine = new QStashEngine(
    {
      currentSigningKey: options.currentSigningKey,
      now,
      retryBaseMs: options.retryBaseMs ?? 1000,
      defaultRetries: options.defaultRetries ?? 3,
      dedupeWindowMs: options.dedupeWindowMs ?? 10 * 60_000,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 30_000,
      scheduleEveryMs: options.scheduleEveryMs,
      log,
    },
    await loadState(options.stateFile),
  );
  const writer = new StateWriter(options.stateFile, () => engine.snapshot());
  engine.attachWriter(writer);

  const tickMs = options.tickMs ?? 100;
  const background = () => void engine.tick().catch((error: Error) => log(`tick failed: ${error.message}`));
  const timer = tickMs > 0 ? setInterval(background, tickMs) : undefined;
  const onEnqueue = () => {
    if (tickMs > 0 && engine.hasDueMessages()) setImmediate(background);
  };

  const handler = createQStashHandler({
    token: options.token,
    engine,
    signingKeys: { current: options.currentSigningKey, next: options.nextSigningKey },
    onEnqueue,
  });
  const server = createServer((req, res) => void handler(req, res));
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    if (timer) clearInterval(timer);
    throw error;
  }
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    tick: () => engine.tick(),
    idle: () => engine.idle(),
    events: () => [...engine.events],
    state: () => structuredClone(engine.snapshot()),
    stop: async () => {
      if (timer) clearInterval(timer);
      await closeServer(server);
      await engine.stop();
      writer.markDirty();
      await writer.flush();
    },
  };
}

if (isEntryPoint(import.meta.url)) {
  const token = process.env.QSTASH_TOKEN ?? "local-qstash-token";
  const qstash = await startQStash({
    port: Number(process.env.QSTASH_PORT ?? 8080),
    token,
    currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "local-current-signing-key",
    nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY ?? "local-next-signing-key",
    stateFile: process.env.QSTASH_STATE_FILE ?? ".data/qstash.json",
  });
  console.log(`QStash stand-in on ${qstash.url} (token ${token})`);
  const shutdown = async () => {
    await qstash.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
