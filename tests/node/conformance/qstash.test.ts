// Conformance of the local QStash stand-in: the official @upstash/qstash Client and Receiver,
// unchanged, against scripts/upstash/qstash.ts delivering to a real local HTTP destination.
// Most tests drive a fake clock with tickMs: 0 and `await qstash.tick()`, so timing is exact;
// one server runs on the real clock to prove the background loop delivers on its own.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, QstashError, Receiver, SignatureError } from "@upstash/qstash";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startQStash, type RunningQStash } from "../../../scripts/upstash/qstash.ts";
import { startDestination, type Destination, type Received } from "./destination.ts";

const token = randomBytes(16).toString("hex");
const currentSigningKey = `sig_${randomBytes(16).toString("hex")}`;
const nextSigningKey = `sig_${randomBytes(16).toString("hex")}`;
const receiver = new Receiver({ currentSigningKey, nextSigningKey });
const quiet = () => {};

let destination: Destination;
let clock = Date.UTC(2030, 0, 1, 0, 1, 0);
let qstash: RunningQStash;
let client: Client;
let pathCounter = 0;
/** A fresh destination path per test, so recorded requests never mix. */
const freshPath = (name: string) => `/${name}-${++pathCounter}`;
const advance = async (ms: number) => {
  clock += ms;
  await qstash.tick();
};
const verify = (r: Received, body = r.body) => receiver.verify({ signature: String(r.headers["upstash-signature"]), body, url: r.url });

beforeAll(async () => {
  destination = await startDestination();
  qstash = await startQStash({ token, currentSigningKey, nextSigningKey, tickMs: 0, retryBaseMs: 1, now: () => clock, log: quiet });
  client = new Client({ baseUrl: qstash.url, token, enableTelemetry: false, devMode: false });
});

afterAll(async () => {
  await qstash?.stop();
  await destination?.close();
});

beforeEach(async () => {
  await qstash.tick(); // leave nothing due from an earlier test
});

describe("publish and delivery", () => {
  it("delivers a JSON message signed so that Receiver.verify accepts it and rejects a tampered body", async () => {
    const path = freshPath("json");
    const { messageId } = await client.publishJSON({ url: `${destination.base}${path}`, body: { hello: "world" }, headers: { "x-tenant": "t1" } });
    expect(messageId).toMatch(/^msg_/);
    await qstash.tick();
    const [req] = destination.on(path);
    expect(req).toBeDefined();
    expect(req!.method).toBe("POST");
    expect(JSON.parse(req!.body)).toEqual({ hello: "world" });
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["x-tenant"]).toBe("t1"); // Upstash-Forward-x-tenant, unprefixed
    expect(req!.headers["upstash-message-id"]).toBe(messageId);
    expect(req!.headers["upstash-retried"]).toBe("0");
    expect(req!.headers["user-agent"]).toBe("Upstash-QStash");
    expect(req!.headers.authorization).toBeUndefined(); // the API token never reaches the destination
    await expect(verify(req!)).resolves.toBe(true);
    await expect(verify(req!, req!.body.replace("world", "w0rld"))).rejects.toBeInstanceOf(SignatureError);
    await expect(receiver.verify({ signature: String(req!.headers["upstash-signature"]), body: req!.body, url: `${destination.base}/elsewhere` })).rejects.toThrow(/invalid subject/);
    await expect(new Receiver({ currentSigningKey: "wrong", nextSigningKey: "also-wrong" }).verify({ signature: String(req!.headers["upstash-signature"]), body: req!.body })).rejects.toThrow();
    // The claims Upstash puts in the token (body: padded base64url SHA-256 of the bytes sent).
    const signature = String(req!.headers["upstash-signature"]);
    expect(decodeProtectedHeader(signature)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(signature);
    expect(claims).toMatchObject({ iss: "Upstash", sub: req!.url, body: createHash("sha256").update(req!.body).digest("base64url") + "=" });
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.jti).toMatch(/^jwt_[0-9a-f]{24}$/);
    // Key rotation: a receiver that already has our key as its "next" key still accepts.
    await expect(new Receiver({ currentSigningKey: "rotated-out", nextSigningKey: currentSigningKey }).verify({ signature: String(req!.headers["upstash-signature"]), body: req!.body, url: req!.url })).resolves.toBe(true);
  });

  it("delivers a raw body with its content type and the requested method", async () => {
    const path = freshPath("raw");
    await client.publish({ url: `${destination.base}${path}?q=1`, body: "plain text ✓", headers: { "content-type": "text/plain; charset=utf-8" }, method: "PUT" });
    await qstash.tick();
    const [req] = destination.on(path);
    expect(req!.method).toBe("PUT");
    expect(req!.body).toBe("plain text ✓");
    expect(req!.url).toBe(`${destination.base}${path}?q=1`);
    expect(req!.headers["content-type"]).toBe("text/plain; charset=utf-8");
    await expect(verify(req!)).resolves.toBe(true);
  });

  it("honours Upstash-Delay: not delivered a millisecond early", async () => {
    const path = freshPath("delay");
    const { messageId } = await client.publishJSON({ url: `${destination.base}${path}`, body: { n: 1 }, delay: 30 });
    const pending = await client.messages.get(messageId);
    expect(pending).toMatchObject({ messageId, url: `${destination.base}${path}`, notBefore: clock + 30_000 });
    await advance(29_999);
    expect(destination.on(path)).toHaveLength(0);
    await advance(1);
    expect(destination.on(path)).toHaveLength(1);
    await expect(client.messages.get(messageId)).rejects.toThrow(/not found/); // delivered messages are gone
  });

  it("honours Upstash-Not-Before (unix seconds)", async () => {
    const path = freshPath("not-before");
    await client.publishJSON({ url: `${destination.base}${path}`, body: {}, notBefore: Math.floor(clock / 1000) + 120 });
    await advance(119_000);
    expect(destination.on(path)).toHaveLength(0);
    await advance(1000);
    expect(destination.on(path)).toHaveLength(1);
  });

  it("cancels a pending message", async () => {
    const path = freshPath("cancel");
    const { messageId } = await client.publishJSON({ url: `${destination.base}${path}`, body: {}, delay: 60 });
    expect(await client.messages.cancel(messageId)).toEqual({ cancelled: 1 });
    await advance(61_000);
    expect(destination.on(path)).toHaveLength(0);
    await expect(client.messages.cancel(messageId)).rejects.toThrow(/not found/);
  });
});

describe("deduplication", () => {
  it("a deduplication id is honoured for 10 minutes, then forgotten", async () => {
    const path = freshPath("dedupe");
    const url = `${destination.base}${path}`;
    const first = await client.publishJSON({ url, body: { v: 1 }, deduplicationId: `reminder:${path}`, delay: 1 });
    const second = await client.publishJSON({ url, body: { v: 2 }, deduplicationId: `reminder:${path}` });
    expect(first.deduplicated).toBeFalsy();
    expect(second).toMatchObject({ messageId: first.messageId, deduplicated: true });
    await advance(9 * 60_000);
    const third = await client.publishJSON({ url, body: { v: 3 }, deduplicationId: `reminder:${path}` });
    expect(third).toMatchObject({ messageId: first.messageId, deduplicated: true });
    await qstash.tick();
    expect(destination.on(path).map((r) => JSON.parse(r.body))).toEqual([{ v: 1 }]);
    await advance(60_000 + 1); // past the window
    const fourth = await client.publishJSON({ url, body: { v: 4 }, deduplicationId: `reminder:${path}` });
    expect(fourth.messageId).not.toBe(first.messageId);
    await qstash.tick();
    expect(destination.on(path).map((r) => JSON.parse(r.body))).toEqual([{ v: 1 }, { v: 4 }]);
  });

  it("content-based deduplication collapses identical messages only", async () => {
    const url = `${destination.base}${freshPath("content")}`;
    const a = await client.publishJSON({ url, body: { same: true }, contentBasedDeduplication: true });
    const b = await client.publishJSON({ url, body: { same: true }, contentBasedDeduplication: true });
    const c = await client.publishJSON({ url, body: { same: false }, contentBasedDeduplication: true });
    expect(b).toMatchObject({ messageId: a.messageId, deduplicated: true });
    expect(c.messageId).not.toBe(a.messageId);
  });
});

describe("retries, DLQ and callbacks", () => {
  it("retries a 5xx with exponential backoff until the destination succeeds", async () => {
    const path = freshPath("flaky");
    destination.script(path, [500, 503]);
    const { messageId } = await client.publishJSON({ url: `${destination.base}${path}`, body: { job: 1 }, retries: 3 });
    const published = clock;
    await qstash.tick();
    expect(destination.on(path)).toHaveLength(1);
    const retry1 = qstash.events().filter((e) => e.messageId === messageId && e.state === "RETRY");
    expect(retry1).toHaveLength(1);
    // Upstash's curve e^(2.5·n) s, scaled by retryBaseMs = 1 → ~12 ms, then ~148 ms.
    const firstBackoff = retry1[0]!.nextDeliveryTime! - published;
    expect(firstBackoff).toBeGreaterThanOrEqual(12);
    expect(firstBackoff).toBeLessThan(13);
    await advance(firstBackoff - 1);
    expect(destination.on(path)).toHaveLength(1); // not before the backoff
    await advance(1);
    expect(destination.on(path)).toHaveLength(2);
    await advance(149);
    const attempts = destination.on(path);
    expect(attempts.map((r) => r.headers["upstash-retried"])).toEqual(["0", "1", "2"]);
    expect(new Set(attempts.map((r) => r.headers["upstash-message-id"]))).toEqual(new Set([messageId]));
    for (const attempt of attempts) await expect(verify(attempt)).resolves.toBe(true);
    expect(qstash.events().filter((e) => e.messageId === messageId).map((e) => e.state)).toEqual([
      "CREATED", "ACTIVE", "RETRY", "ACTIVE", "RETRY", "ACTIVE", "DELIVERED",
    ]);
  });

  it("after the last retry the message goes to the DLQ and the failure callback fires", async () => {
    const path = freshPath("broken");
    const failurePath = freshPath("failure");
    destination.script(path, [500, 500, 500]);
    const { messageId } = await client.publishJSON({
      url: `${destination.base}${path}`, body: { job: 2 }, retries: 1, failureCallback: `${destination.base}${failurePath}`,
    });
    await qstash.tick();
    await advance(20);
    expect(destination.on(path)).toHaveLength(2); // first attempt + one retry
    const { messages } = await client.dlq.listMessages();
    const dead = messages.find((m) => m.messageId === messageId);
    expect(dead).toMatchObject({ url: `${destination.base}${path}`, responseStatus: 500, responseBody: "try again" });
    await qstash.tick();
    const [failure] = destination.on(failurePath);
    await expect(verify(failure!)).resolves.toBe(true);
    expect(JSON.parse(failure!.body)).toMatchObject({ status: 500, sourceMessageId: messageId, dlqId: dead!.dlqId, retried: 1, maxRetries: 1 });
    await client.dlq.delete(dead!.dlqId);
    expect((await client.dlq.listMessages()).messages.find((m) => m.messageId === messageId)).toBeUndefined();
  });

  it("a 489 with Upstash-NonRetryable-Error is not retried; Upstash-Retries: 0 means one attempt", async () => {
    const fatal = freshPath("fatal");
    destination.script(fatal, [{ status: 489, headers: { "Upstash-NonRetryable-Error": "true" } }]);
    const { messageId } = await client.publishJSON({ url: `${destination.base}${fatal}`, body: {}, retries: 3 });
    const once = freshPath("once");
    destination.script(once, [500]);
    await client.publishJSON({ url: `${destination.base}${once}`, body: {}, retries: 0 });
    await qstash.tick();
    await advance(100_000);
    expect(destination.on(fatal)).toHaveLength(1);
    expect(destination.on(once)).toHaveLength(1);
    expect((await client.dlq.listMessages()).messages.find((m) => m.messageId === messageId)).toMatchObject({ responseStatus: 489 });
  });

  it("a destination's Retry-After sets the next attempt time", async () => {
    const path = freshPath("retry-after");
    destination.script(path, [{ status: 429, headers: { "Retry-After": "40" } }]);
    await client.publishJSON({ url: `${destination.base}${path}`, body: {}, retries: 2 });
    await qstash.tick();
    await advance(39); // retryBaseMs = 1 scales "40 s" to 40 ms
    expect(destination.on(path)).toHaveLength(1);
    await advance(1);
    expect(destination.on(path)).toHaveLength(2);
  });

  it("Upstash-Retry-Delay expressions replace the default backoff", async () => {
    const path = freshPath("retry-delay");
    destination.script(path, [500, 500]);
    await client.publishJSON({ url: `${destination.base}${path}`, body: {}, retries: 2, retryDelay: "1000 * (1 + retried)" });
    // The expression is in ms (1000, then 2000), scaled by retryBaseMs/1000 → 1 ms, then 2 ms.
    await qstash.tick();
    await advance(0);
    expect(destination.on(path)).toHaveLength(1);
    await advance(1);
    expect(destination.on(path)).toHaveLength(2);
    await advance(1);
    expect(destination.on(path)).toHaveLength(2);
    await advance(1);
    expect(destination.on(path)).toHaveLength(3);
  });

  it("the success callback receives the destination's answer", async () => {
    const path = freshPath("with-callback");
    const callbackPath = freshPath("callback");
    const { messageId } = await client.publishJSON({ url: `${destination.base}${path}`, body: { x: 1 }, callback: `${destination.base}${callbackPath}` });
    await qstash.tick();
    await qstash.tick();
    const [callback] = destination.on(callbackPath);
    await expect(verify(callback!)).resolves.toBe(true);
    const payload = JSON.parse(callback!.body);
    expect(payload).toMatchObject({ status: 200, sourceMessageId: messageId, url: `${destination.base}${path}`, method: "POST" });
    expect(Buffer.from(payload.body, "base64").toString()).toBe("ok");
    expect(Buffer.from(payload.sourceBody, "base64").toString()).toBe('{"x":1}');
  });
});

describe("schedules", () => {
  it("a cron schedule with a stable id fires on the clock, with Upstash-Schedule-Id", async () => {
    clock = Date.UTC(2030, 0, 1, 0, 1, 0);
    const path = freshPath("digest");
    const scheduleId = `digest-${pathCounter}`; // ids travel in URL paths: no slashes
    const created = await client.schedules.create({ destination: `${destination.base}${path}`, cron: "*/5 * * * *", scheduleId, body: JSON.stringify({ kind: "digest" }) });
    expect(created).toEqual({ scheduleId });
    expect(await client.schedules.get(scheduleId)).toMatchObject({ scheduleId, cron: "*/5 * * * *", isPaused: false, nextScheduleTime: Date.UTC(2030, 0, 1, 0, 5) });
    await advance(3 * 60_000 + 59_999); // 00:04:59.999
    expect(destination.on(path)).toHaveLength(0);
    await advance(1); // 00:05:00
    const [run] = destination.on(path);
    expect(run).toBeDefined();
    expect(run!.headers["upstash-schedule-id"]).toBe(scheduleId);
    expect(run!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(run!.body)).toEqual({ kind: "digest" });
    await expect(verify(run!)).resolves.toBe(true);
    const after = await client.schedules.get(scheduleId);
    expect(after).toMatchObject({ lastScheduleTime: Date.UTC(2030, 0, 1, 0, 5), nextScheduleTime: Date.UTC(2030, 0, 1, 0, 10) });
    expect(Object.values(after.lastScheduleStates ?? {})).toEqual(["SUCCESS"]);

    // Re-creating with the same id replaces it (idempotent setup), it does not duplicate.
    await client.schedules.create({ destination: `${destination.base}${path}`, cron: "0 * * * *", scheduleId });
    expect((await client.schedules.list()).filter((s) => s.scheduleId === scheduleId).map((s) => s.cron)).toEqual(["0 * * * *"]);
    await advance(55 * 60_000); // 01:00
    expect(destination.on(path)).toHaveLength(2);

    await client.schedules.pause({ schedule: scheduleId });
    await advance(60 * 60_000); // 02:00, paused
    expect(destination.on(path)).toHaveLength(2);
    await client.schedules.resume({ schedule: scheduleId });
    await advance(60 * 60_000); // 03:00
    expect(destination.on(path)).toHaveLength(3);

    await client.schedules.delete(scheduleId);
    await expect(client.schedules.get(scheduleId)).rejects.toThrow(/not found/);
    await advance(60 * 60_000);
    expect(destination.on(path)).toHaveLength(3);
  });

  it("scheduleEveryMs (tests only) fires each schedule every N ms through the same API; cron is still validated", async () => {
    let fast = Date.UTC(2030, 0, 1, 0, 0, 10);
    const every = await startQStash({ token, currentSigningKey, nextSigningKey, tickMs: 0, retryBaseMs: 1, scheduleEveryMs: 500, now: () => fast, log: quiet });
    try {
      const fastClient = new Client({ baseUrl: every.url, token, enableTelemetry: false, devMode: false });
      const path = freshPath("every");
      const scheduleId = `every-${pathCounter}`;
      await fastClient.schedules.create({ destination: `${destination.base}${path}`, cron: "* * * * *", scheduleId });
      expect(await fastClient.schedules.get(scheduleId)).toMatchObject({ cron: "* * * * *", nextScheduleTime: fast + 500 });
      const step = async (ms: number) => {
        fast += ms;
        await every.tick();
      };
      await step(499);
      expect(destination.on(path)).toHaveLength(0);
      await step(1);
      await step(500);
      await step(500);
      const runs = destination.on(path);
      expect(runs).toHaveLength(3);
      expect(runs.every((r) => r.headers["upstash-schedule-id"] === scheduleId)).toBe(true);
      await expect(verify(runs[0]!)).resolves.toBe(true);
      await fastClient.schedules.pause({ schedule: scheduleId });
      await step(2000);
      expect(destination.on(path)).toHaveLength(3);
      await expect(fastClient.schedules.create({ destination: `${destination.base}${path}`, cron: "every second" })).rejects.toThrow(QstashError);
    } finally {
      await every.stop();
    }
  });

  it("supports CRON_TZ and rejects an invalid cron with 400", async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 0);
    const { scheduleId } = await client.schedules.create({ destination: `${destination.base}${freshPath("tz")}`, cron: "CRON_TZ=America/New_York 0 8 * * *" });
    expect((await client.schedules.get(scheduleId)).nextScheduleTime).toBe(Date.UTC(2030, 0, 1, 13, 0)); // 08:00 EST
    await client.schedules.delete(scheduleId);
    await expect(client.schedules.create({ destination: `${destination.base}/x`, cron: "61 * * * *" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("auth", () => {
  it("rejects calls without the right token with 401", async () => {
    const intruder = new Client({ baseUrl: qstash.url, token: "wrong", enableTelemetry: false, devMode: false, retry: false });
    const error = await intruder.publishJSON({ url: `${destination.base}/never`, body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QstashError);
    expect((error as QstashError).status).toBe(401);
    expect((await fetch(`${qstash.url}/v2/schedules`)).status).toBe(401);
    expect((await fetch(`${qstash.url}/v2/messages/x`, { method: "DELETE", headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });
});

describe("persistence", () => {
  it("pending messages, schedules and dedupe ids survive a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "qstash-state-"));
    const stateFile = join(dir, "qstash.json");
    let now = Date.UTC(2031, 5, 1, 10, 0, 0);
    const options = { token, currentSigningKey, nextSigningKey, stateFile, tickMs: 0, retryBaseMs: 1, now: () => now, log: quiet };
    const path = freshPath("persisted");
    const schedulePath = freshPath("persisted-schedule");
    try {
      const first = await startQStash(options);
      const c1 = new Client({ baseUrl: first.url, token, enableTelemetry: false, devMode: false });
      const { messageId } = await c1.publishJSON({ url: `${destination.base}${path}`, body: { later: true }, delay: 3600, deduplicationId: "once" });
      await c1.schedules.create({ destination: `${destination.base}${schedulePath}`, cron: "30 10 * * *", scheduleId: "daily" });
      await first.stop();

      const second = await startQStash(options);
      const c2 = new Client({ baseUrl: second.url, token, enableTelemetry: false, devMode: false });
      expect((await c2.messages.get(messageId)).messageId).toBe(messageId);
      expect(await c2.publishJSON({ url: `${destination.base}${path}`, body: {}, deduplicationId: "once" })).toMatchObject({ messageId, deduplicated: true });
      expect((await c2.schedules.list()).map((s) => s.scheduleId)).toEqual(["daily"]);
      now += 30 * 60_000; // 10:30: the schedule fires
      await second.tick();
      expect(destination.on(schedulePath)).toHaveLength(1);
      now += 30 * 60_000; // 11:00: the delayed message is due
      await second.tick();
      expect(destination.on(path).map((r) => JSON.parse(r.body))).toEqual([{ later: true }]);
      await second.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("real clock (background loop)", () => {
  let live: RunningQStash;
  let liveClient: Client;
  beforeAll(async () => {
    live = await startQStash({ token, currentSigningKey, nextSigningKey, tickMs: 10, retryBaseMs: 1, log: quiet });
    liveClient = new Client({ baseUrl: live.url, token, enableTelemetry: false, devMode: false });
  });
  afterAll(async () => {
    await live?.stop();
  });

  it("delivers right away, and a 1 s delay not before 1 s", async () => {
    const now = freshPath("live-now");
    const later = freshPath("live-delay");
    const before = Date.now();
    await liveClient.publishJSON({ url: `${destination.base}${now}`, body: {} });
    await liveClient.publishJSON({ url: `${destination.base}${later}`, body: {}, delay: 1 });
    const [immediate] = await destination.waitFor(now, 1, 2000);
    expect(immediate!.receivedAt - before).toBeLessThan(1000);
    const [delayed] = await destination.waitFor(later, 1, 4000);
    expect(delayed!.receivedAt - before).toBeGreaterThanOrEqual(1000);
    await expect(verify(delayed!)).resolves.toBe(true);
  });

  it("retries on its own until the destination succeeds", async () => {
    const path = freshPath("live-flaky");
    destination.script(path, [502, 500]);
    await liveClient.publishJSON({ url: `${destination.base}${path}`, body: {} });
    const attempts = await destination.waitFor(path, 3, 4000);
    expect(attempts.map((r) => r.headers["upstash-retried"])).toEqual(["0", "1", "2"]);
  });
});
