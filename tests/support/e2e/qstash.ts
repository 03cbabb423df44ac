// The e2e run's own QStash stand-in: real-time delivery (a short tick), a short retry backoff,
// and schedules fired every few hundred ms instead of on the minute. What the Worker publishes
// (PUBLIC_API_URL is the Worker's http URL) comes back to it, signed for that URL.
import { randomBytes } from "node:crypto";
import { Client } from "@upstash/qstash";
import { SCHEDULES } from "../../../scripts/lib/schedules.ts";
import { startQStash, type QStashEvent, type RunningQStash } from "../../../scripts/upstash/qstash.ts";
import type { DlqEntry, StoredMessage, StoredSchedule } from "../../../scripts/upstash/qstash/types.ts";
import { OUTBOX_DRAIN_SCHEDULE_ID } from "../../../functions/jobs/outbox-drain.ts";

export interface E2EQStashOptions {
  /** How often the stand-in looks for due work (ms). */
  tickMs?: number;
  /** Scales Upstash's backoff (1000 = real): 10 makes 12 s → 120 ms, 2m28s → 1.5 s. */
  retryBaseMs?: number;
  /** Every schedule fires this often (ms). */
  scheduleEveryMs?: number;
}

export interface E2EQStash {
  url: string;
  token: string;
  /** The official client, pointed at this stand-in (publish duplicates, read messages…). */
  client: Client;
  /** Delivery events so far, oldest first (CREATED, ACTIVE, DELIVERED, RETRY, FAILED, CANCELLED). */
  events: () => QStashEvent[];
  /** Messages not yet delivered (pending or retrying). */
  messages: () => StoredMessage[];
  deadLetters: () => DlqEntry[];
  schedules: () => StoredSchedule[];
  /** Events of one message, in order. */
  eventsOf: (messageId: string) => QStashEvent[];
  /** Whether a message was delivered (its destination answered 2xx). */
  delivered: (messageId: string) => boolean;
  /** The signing keys the Worker must hold to accept this stand-in's deliveries. */
  bindings: Record<string, string>;
  /** Registers the production schedules' jobs (by default only outbox-drain) for `publicApiUrl`. */
  syncSchedules: (publicApiUrl: string, ids?: string[]) => Promise<void>;
  stop: () => Promise<void>;
}

const secret = () => randomBytes(24).toString("base64url");

export async function startE2EQStash(options: E2EQStashOptions = {}): Promise<E2EQStash> {
  const token = secret();
  const keys = { currentSigningKey: `sig_${secret()}`, nextSigningKey: `sig_${secret()}` };
  const qstash: RunningQStash = await startQStash({
    token,
    ...keys,
    tickMs: options.tickMs ?? 50,
    retryBaseMs: options.retryBaseMs ?? 10,
    scheduleEveryMs: options.scheduleEveryMs ?? 500,
    log: (line) => console.warn(`[e2e qstash] ${line}`),
  });
  const client = new Client({ baseUrl: qstash.url, token, enableTelemetry: false });
  const events = () => qstash.events();
  return {
    url: qstash.url,
    token,
    client,
    events,
    messages: () => qstash.state().messages,
    deadLetters: () => qstash.state().dlq,
    schedules: () => qstash.state().schedules,
    eventsOf: (messageId) => events().filter((e) => e.messageId === messageId),
    delivered: (messageId) => events().some((e) => e.messageId === messageId && e.state === "DELIVERED"),
    bindings: { QSTASH_URL: qstash.url, QSTASH_TOKEN: token, QSTASH_CURRENT_SIGNING_KEY: keys.currentSigningKey, QSTASH_NEXT_SIGNING_KEY: keys.nextSigningKey },
    // The same schedule ids, crons and destinations as `npm run schedules` creates in production.
    syncSchedules: async (publicApiUrl, ids = [OUTBOX_DRAIN_SCHEDULE_ID]) => {
      const base = publicApiUrl.replace(/\/$/, "");
      for (const s of SCHEDULES.filter((s) => ids.includes(s.id))) {
        await client.schedules.create({ scheduleId: s.id, destination: `${base}/hooks/qstash/${s.job}`, cron: s.cron, retries: 3 });
      }
    },
    stop: () => qstash.stop(),
  };
}
