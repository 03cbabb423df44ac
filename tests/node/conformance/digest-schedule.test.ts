// The daily digest's global schedule through the local QStash stand-in (fake clock): `npm run dev`
// and `npm run schedules` create `digest-sweep` idempotently (a second sync replaces it, one
// schedule), and it fires every 15 minutes straight through both DST changes of the digest test
// (the cron is UTC; each member's 08:00 is computed by the job) — 96 signed fires a day, each to
// /hooks/qstash/digest-sweep with Upstash-Schedule-Id.
import { randomBytes } from "node:crypto";
import { Client, Receiver } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_SWEEP_SCHEDULE_ID } from "../../../functions/jobs/digest-sweep.ts";
import { syncSchedules } from "../../../scripts/lib/schedules.ts";
import { startQStash, type RunningQStash } from "../../../scripts/upstash/qstash.ts";
import { startDestination, type Destination } from "./destination.ts";

const token = randomBytes(16).toString("hex");
const currentSigningKey = `sig_${randomBytes(16).toString("hex")}`;
const nextSigningKey = `sig_${randomBytes(16).toString("hex")}`;
let clock = Date.parse("2026-10-24T00:00:30Z");
let qstash: RunningQStash;
let destination: Destination;

beforeAll(async () => {
  destination = await startDestination();
  qstash = await startQStash({ token, currentSigningKey, nextSigningKey, tickMs: 0, retryBaseMs: 1, now: () => clock, log: () => {} });
});

afterAll(async () => {
  await qstash?.stop();
  await destination?.close();
});

describe("the digest-sweep schedule", { timeout: 300_000 }, () => {
  it("is created idempotently and fires every 15 minutes across Berlin's and Los Angeles' DST changes", async () => {
    for (let i = 0; i < 2; i++) await syncSchedules({ qstashUrl: qstash.url, token, publicApiUrl: destination.base });
    const client = new Client({ baseUrl: qstash.url, token, enableTelemetry: false, devMode: false });
    const schedules = (await client.schedules.list()).filter((s) => s.scheduleId === DIGEST_SWEEP_SCHEDULE_ID);
    expect(schedules.map((s) => [s.cron, s.destination])).toEqual([["*/15 * * * *", `${destination.base}/hooks/qstash/digest-sweep`]]);

    const end = Date.parse("2026-11-02T00:00:00Z");
    while (clock < end) {
      clock += 15 * 60_000;
      await qstash.tick();
    }
    const fires = destination.on("/hooks/qstash/digest-sweep");
    expect(fires).toHaveLength(9 * 96); // 2026-10-24 00:15 … 2026-11-02 00:00, every quarter hour
    expect(fires.every((f) => f.headers["upstash-schedule-id"] === DIGEST_SWEEP_SCHEDULE_ID)).toBe(true);
    const receiver = new Receiver({ currentSigningKey, nextSigningKey });
    await expect(receiver.verify({ signature: String(fires[0]!.headers["upstash-signature"]), body: fires[0]!.body, url: fires[0]!.url })).resolves.toBe(true);
  });
});
