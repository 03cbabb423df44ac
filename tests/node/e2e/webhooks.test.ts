// Outbound webhooks end to end: a change through the API writes a domain event, the event fans
// out to the subscribed endpoint (a delivery and its first attempt in the job outbox, in the same
// transaction), outbox-drain publishes the attempt, and this file's QStash stand-in delivers it to
// /hooks/qstash/webhook-delivery; a failed send answers 503 and QStash retries it with its backoff
// (Upstash's curve, 12 s, 2 min 28 s, 30 min, scaled here by 2/1000: 24 ms, 0.3 s, 3.6 s).
//
// The receiver: the Worker's SSRF guard (functions/lib/ssrf) refuses loopback and private hosts,
// and nothing here weakens it. Endpoints are public-looking https URLs under `.receiver.example`
// (RFC 2606: reserved, never resolves anywhere); the guard judges them as in production, and the
// Worker's global fetch sends them. Only the local runtime's network differs: the harness starts
// this Worker with wrangler's dev-only `outboundService` hook (tests/support/e2e/
// worker-with-receivers.ts), which hands requests for that suffix to a local HTTP receiver
// (e2e.receiver) that records them and answers as the test says. No Worker code changes and a
// deployed Worker has no such hook. (A fetch the hook cannot complete reaches the Worker as an
// HTTP 500, so the network-error branch of the sender is not exercised here.)
import { Webhook } from "standardwebhooks";
import { MAX_CONSECUTIVE_FAILURES } from "../../../functions/jobs/webhook-delivery.ts";
import { beforeAll, describe, it } from "vitest";
import { useE2E, waitFor, type E2ETenant } from "../../support/e2e/index.ts";

const RETRY_SCALE = 2; // QStash stand-in: milliseconds per Upstash second
const RETRIES = 3; // what the drain's publish gets: QStash's default (the stand-in's too)
const RECEIVER_SUFFIX = ".receiver.example";
const e2e = useE2E({ qstash: { retryBaseMs: RETRY_SCALE }, receiverSuffix: RECEIVER_SUFFIX });

/** Each scenario's endpoint answers by its own rule (n: how many requests it got, this one included). */
const rules = new Map<string, (n: number) => { status: number; body?: string }>();
beforeAll(() => {
  e2e.receiver.answer((r) => rules.get(r.url)?.(e2e.receiver.requests().filter((x) => x.url === r.url).length) ?? { status: 404, body: "no such receiver" });
});
/** A fresh receiver URL answering by `rule`. */
function receiverUrl(rule: (n: number) => { status: number; body?: string }): string {
  const url = `https://hooks-${crypto.randomUUID().slice(0, 8)}${RECEIVER_SUFFIX}/ai-office`;
  rules.set(url, rule);
  return url;
}
const receivedBy = (url: string) => e2e.receiver.requests().filter((r) => r.url === url);

type Endpoint = { id: string; url: string; enabled: boolean; disabledReason: string | null; consecutiveFailures: number; secret?: string };
type Attempt = { attemptId: string; try: number; outcome: string; statusCode: number | null; latencyMs: number | null; error: string | null; responseSnippet: string | null; startedAt: string; finishedAt: string | null };
type Delivery = { id: string; eventId: string; eventType: string; status: string; attempts: number; replays: number; attemptLog: Attempt[] };
type Outbox = { dedupe_id: string; payload: { deliveryId: string; attemptId: string }; message_id: string | null };

async function api<T>(t: E2ETenant, path: string, method = "GET", body?: unknown, expected = method === "POST" && body !== undefined ? 201 : 200): Promise<T> {
  const res = await e2e.call(path, { method, body }, await t.owner.token());
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} (expected ${expected}) ${text}`);
  return JSON.parse(text) as T;
}

const endpoint = (t: E2ETenant, id: string) => api<Endpoint>(t, `/v1/automation/webhooks/${id}`);
const deliveries = async (t: E2ETenant, id: string) => (await api<{ data: Delivery[] }>(t, `/v1/automation/webhooks/${id}/deliveries`)).data;
const createCustomer = (t: E2ETenant) => api<{ id: string }>(t, "/v1/customers", "POST", { name: `Customer ${crypto.randomUUID().slice(0, 8)}` });
/** The webhook attempts of a delivery as queued in the outbox (and published by the drain). */
const queuedAttempts = (deliveryId: string) =>
  e2e.sql<Outbox>("select dedupe_id, payload, message_id from public.job_outbox where job = 'webhook-delivery' and payload ->> 'deliveryId' = $1 order by created_at", [deliveryId]);
const finishedTries = (d: Delivery | undefined, attemptId?: string) => (d?.attemptLog ?? []).filter((a) => a.finishedAt && (!attemptId || a.attemptId === attemptId));

describe.concurrent("outbound webhooks through QStash (e2e)", { timeout: 90_000 }, () => {
  it("a subscribed endpoint receives the event, signed; a 500 is retried by QStash and the retry delivered; status and latency logged", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const url = receiverUrl((n) => (n === 1 ? { status: 500, body: "boom" } : { status: 204 }));
    const created = await api<Endpoint & { secret: string }>(t, "/v1/automation/webhooks", "POST", { url, eventTypes: ["customer.created"] });
    const mine = () => receivedBy(url);
    const customer = await createCustomer(t);

    const delivered = await waitFor("the delivery to be delivered", async () => {
      const [d] = await deliveries(t, created.id);
      return d?.status === "delivered" ? d : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const got = mine();
    expect(got).toHaveLength(2);
    for (const r of got) {
      expect(r.method).toBe("POST");
      expect(r.headers["webhook-id"]).toBe(delivered.id);
      // The receiver's own library verifies the signature with the endpoint's secret.
      const verified = new Webhook(created.secret).verify(r.body, r.headers) as { type: string; data: { id: string } };
      expect(verified).toMatchObject({ type: "customer.created", data: { id: customer.id } });
    }
    expect(delivered.attemptLog.map((a) => [a.try, a.outcome, a.statusCode, a.responseSnippet])).toEqual([[0, "failed", 500, "boom"], [1, "delivered", 204, ""]]);
    for (const a of delivered.attemptLog) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    // The retry came from QStash after its backoff, as the same message.
    // The row commits before the Worker answers: QStash records DELIVERED a moment later.
    const [q] = await queuedAttempts(delivered.id);
    await waitFor("QStash to record the delivery", () => e2e.qstash.delivered(q!.message_id!), { timeoutMs: 10_000 });
    expect(e2e.qstash.eventsOf(q!.message_id!).map((e) => e.state)).toEqual(["CREATED", "ACTIVE", "RETRY", "ACTIVE", "DELIVERED"]);
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(Math.exp(2.5) * RETRY_SCALE);
    expect(await endpoint(t, created.id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });


  it(`an event's delivery to a failing receiver is retried with backoff, every try logged; after ${MAX_CONSECUTIVE_FAILURES} failures in a row the endpoint is disabled, then re-enabled and replayed`, async ({ expect }) => {
    const t = await e2e.seedTenant();
    const url = receiverUrl(() => ({ status: 502, body: "down" }));
    const created = await api<Endpoint>(t, "/v1/automation/webhooks", "POST", { url, eventTypes: ["customer.created"] });
    expect(created).toMatchObject({ enabled: true, consecutiveFailures: 0, secret: expect.stringMatching(/^whsec_/) });
    // Not subscribed: a task event makes no delivery.
    await api(t, "/v1/tasks", "POST", { title: "Not for this endpoint" });
    expect(await deliveries(t, created.id)).toEqual([]);

    // 1. The event happens; its delivery is tried 1 + RETRIES times by QStash, then dead-lettered.
    const customer = await createCustomer(t);
    const [first] = await deliveries(t, created.id);
    expect(first).toMatchObject({ eventType: "customer.created", status: "pending", attempts: 0 });
    const [queued] = await queuedAttempts(first!.id);
    expect(queued!.dedupe_id).toBe(`webhook:${first!.id}:${queued!.payload.attemptId}`);
    const failed = await waitFor("every try of the first delivery to fail", async () => {
      const [d] = await deliveries(t, created.id);
      return finishedTries(d).length === 1 + RETRIES ? d : undefined;
    }, { timeoutMs: 40_000, intervalMs: 200 });
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBe(1 + RETRIES);
    expect(failed.attemptLog.map((a) => [a.attemptId, a.try, a.outcome, a.statusCode])).toEqual(
      [0, 1, 2, 3].map((n) => [queued!.payload.attemptId, n, "failed", 502]),
    );
    for (const a of failed.attemptLog) {
      expect(a).toMatchObject({ error: "HTTP 502", responseSnippet: "down" });
      expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    }
    // The receiver got each try: the same delivery (webhook-id) and body every time.
    const tries = receivedBy(url);
    expect(tries.map((r) => r.headers["webhook-id"])).toEqual(Array(1 + RETRIES).fill(first!.id));
    expect(new Set(tries.map((r) => r.body)).size).toBe(1);
    // Spaced by QStash's backoff in real time: each gap at least the scaled delay, and growing.
    const started = failed.attemptLog.map((a) => Date.parse(a.startedAt));
    const gaps = started.slice(1).map((s, i) => s - started[i]!);
    expect(gaps[2]!, `gaps ${gaps}`).toBeGreaterThanOrEqual(Math.exp(7.5) * RETRY_SCALE - 200);
    expect(gaps[1]!, `gaps ${gaps}`).toBeGreaterThanOrEqual(Math.exp(5) * RETRY_SCALE - 100);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    // QStash's side: one message, a RETRY per failed try, then FAILED into the dead-letter queue.
    const messageId = (await queuedAttempts(first!.id))[0]!.message_id!;
    await waitFor("QStash to dead-letter the message", () => e2e.qstash.deadLetters().some((d) => d.message.messageId === messageId), { timeoutMs: 10_000 });
    const states = e2e.qstash.eventsOf(messageId).map((e) => e.state);
    expect(states.filter((s) => s === "RETRY")).toHaveLength(RETRIES);
    expect(states.at(-1)).toBe("FAILED");
    expect(e2e.qstash.eventsOf(messageId).filter((e) => e.state === "RETRY" || e.state === "FAILED").map((e) => e.responseStatus)).toEqual([503, 503, 503, 503]);
    expect(await endpoint(t, created.id)).toMatchObject({ enabled: true, consecutiveFailures: 1 + RETRIES });

    // 2. The next event's first failed try is the 5th in a row: the endpoint is disabled (final, 200).
    expect(1 + RETRIES + 1).toBe(MAX_CONSECUTIVE_FAILURES);
    await createCustomer(t);
    const disabled = await waitFor("the endpoint to be disabled", async () => {
      const e = await endpoint(t, created.id);
      return e.enabled ? undefined : e;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    expect(disabled.consecutiveFailures).toBe(MAX_CONSECUTIVE_FAILURES);
    expect(disabled.disabledReason).toMatch(new RegExp(`^disabled after ${MAX_CONSECUTIVE_FAILURES} consecutive failed attempts; last: HTTP 502`));
    const second = (await deliveries(t, created.id)).find((d) => d.id !== first!.id)!;
    expect(finishedTries(second).map((a) => [a.try, a.outcome])).toEqual([[0, "failed"]]);
    const secondMessage = (await queuedAttempts(second.id))[0]!.message_id!;
    await waitFor("QStash to record the final answer", () => e2e.qstash.delivered(secondMessage), { timeoutMs: 10_000 });
    expect(e2e.qstash.eventsOf(secondMessage).map((e) => e.state)).not.toContain("RETRY");

    // 3. While disabled, events make no deliveries.
    await createCustomer(t);
    expect(await deliveries(t, created.id)).toHaveLength(2);
    expect(receivedBy(url)).toHaveLength(MAX_CONSECUTIVE_FAILURES);

    // 4. Re-enabled: counters cleared; a replay of the first delivery is queued and tried again
    //    (same delivery and webhook-id, a new attempt), retried by QStash like any attempt.
    const enabled = await api<Endpoint>(t, `/v1/automation/webhooks/${created.id}/enable`, "POST");
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    const replay = await api<{ deliveryId: string; attemptId: string }>(t, `/v1/automation/webhooks/${created.id}/deliveries/${first!.id}/replay`, "POST", undefined, 202);
    expect(replay.deliveryId).toBe(first!.id);
    expect(replay.attemptId).not.toBe(queued!.payload.attemptId);
    const replayed = await waitFor("the replay's tries to be logged", async () => {
      const d = (await deliveries(t, created.id)).find((x) => x.id === first!.id);
      return finishedTries(d, replay.attemptId).length >= 2 ? d : undefined;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    expect(replayed.replays).toBe(1);
    expect(finishedTries(replayed, replay.attemptId).slice(0, 2).map((a) => [a.try, a.outcome])).toEqual([[0, "failed"], [1, "failed"]]);
    expect((await queuedAttempts(first!.id)).map((q) => q.payload.attemptId)).toEqual([queued!.payload.attemptId, replay.attemptId]);
    // The event it carries is still the first customer's.
    const [event] = await e2e.sql<{ id: string }>("select id from public.domain_events where tenant_id = $1 and type = 'customer.created' and subject_id = $2", [t.id, customer.id]);
    expect(replayed.eventId).toBe(event!.id);
    // What the receiver got again: the same webhook-id and body as the first delivery's tries.
    const again = receivedBy(url).slice(MAX_CONSECUTIVE_FAILURES);
    expect(again.length).toBeGreaterThanOrEqual(2);
    for (const r of again) expect([r.headers["webhook-id"], r.body]).toEqual([first!.id, tries[0]!.body]);
  });
});
