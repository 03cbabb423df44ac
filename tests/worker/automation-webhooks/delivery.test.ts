// Outbound webhook deliveries end to end: an API change writes a domain event, the event fans
// out to subscribed endpoints through the outbox, and the webhook-delivery job (called as QStash
// calls it) signs and sends once per try, retries through QStash on failure, disables an endpoint
// after repeated failure, and replays on request.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { MAX_CONSECUTIVE_FAILURES } from "../../../functions/jobs/webhook-delivery.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createCustomer, createEndpoint, deliverAttempt, deliveries, recorder, takeQueued, type Endpoint } from "./harness.ts";

const rec = recorder();

describe("webhook deliveries", { timeout: 60_000 }, () => {
  it("signs each delivery with Standard Webhooks headers the receiver's library verifies", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t, { eventTypes: ["customer.created"] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const customerId = await createCustomer(t);
    const [queued, ...more] = await takeQueued(t.id);
    expect(more).toEqual([]);
    expect(queued!.dedupe_id).toBe(`webhook:${queued!.payload.deliveryId}:${queued!.payload.attemptId}`);

    const res = await deliverAttempt(queued!.payload);
    expect(res.status).toBe(200);
    expect(rec.requests).toHaveLength(1);
    const sent = rec.requests[0]!;
    expect(sent.url).toBe(endpoint.url);
    expect(sent.headers["webhook-id"]).toBe(queued!.payload.deliveryId);
    const verified = new Webhook(endpoint.secret).verify(sent.body, sent.headers) as { type: string; data: { id: string; name: string } };
    expect(verified.type).toBe("customer.created");
    expect(verified.data.id).toBe(customerId);
    // Another secret does not verify it.
    expect(() => new Webhook(`whsec_${btoa("x".repeat(32))}`).verify(sent.body, sent.headers)).toThrow();

    const [delivery] = await deliveries(t, endpoint.id);
    expect(delivery).toMatchObject({ id: queued!.payload.deliveryId, eventType: "customer.created", status: "delivered", attempts: 1 });
    expect(delivery!.attemptLog).toHaveLength(1);
    expect(delivery!.attemptLog[0]).toMatchObject({ attemptId: queued!.payload.attemptId, try: 0, outcome: "delivered", statusCode: 200, responseSnippet: "ok" });
  });

  it("delivers only subscribed types, and every type to an endpoint with no list", async () => {
    const t = await seedTenant();
    const tasksOnly = await createEndpoint(t, { eventTypes: ["task.created"] });
    const everything = await createEndpoint(t);
    await createCustomer(t);
    expect(await deliveries(t, tasksOnly.id)).toEqual([]);
    expect((await deliveries(t, everything.id)).map((d) => d.eventType)).toEqual(["customer.created"]);
    await takeQueued(t.id);
  });

  it("a delivery QStash sends three times at once, and again late, records one attempt and sends once", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    await createCustomer(t);
    const [queued] = await takeQueued(t.id);
    const answers = await Promise.all([deliverAttempt(queued!.payload), deliverAttempt(queued!.payload), deliverAttempt(queued!.payload)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const late = await json<{ result: { outcome: string } }>(await deliverAttempt(queued!.payload));
    expect(late.result.outcome).toBe("duplicate");
    expect(rec.requests).toHaveLength(1);
    const [delivery] = await deliveries(t, endpoint.id);
    expect(delivery!.attemptLog).toHaveLength(1);
    expect(delivery!.attempts).toBe(1);
  });

  it("a failing receiver makes QStash retry (503), and the retry is a new try of the same attempt", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    await createCustomer(t);
    const [queued] = await takeQueued(t.id);
    rec.answer = () => new Response("boom", { status: 500 });
    const first = await deliverAttempt(queued!.payload, 0);
    expect(first.status).toBe(503);
    // The same try delivered again (a duplicate, not a retry) sends nothing.
    expect((await deliverAttempt(queued!.payload, 0)).status).toBe(200);
    expect(rec.requests).toHaveLength(1);
    rec.answer = () => new Response(null, { status: 204 });
    expect((await deliverAttempt(queued!.payload, 1)).status).toBe(200);
    expect(rec.requests).toHaveLength(2);
    expect(rec.requests[0]!.headers["webhook-id"]).toBe(rec.requests[1]!.headers["webhook-id"]);
    const [delivery] = await deliveries(t, endpoint.id);
    expect(delivery!.status).toBe("delivered");
    expect(delivery!.attemptLog.map((a) => [a.try, a.outcome, a.statusCode])).toEqual([[0, "failed", 500], [1, "delivered", 204]]);
    expect(delivery!.attemptLog[0]!.responseSnippet).toBe("boom");
    expect(delivery!.attemptLog[1]!.responseSnippet).toBe("");
  });

  it(`after ${MAX_CONSECUTIVE_FAILURES} failed tries in a row the endpoint is disabled with the reason; enable clears it`, async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    await createCustomer(t);
    const [queued] = await takeQueued(t.id);
    rec.answer = () => new Response("down", { status: 502 });
    const statuses: number[] = [];
    for (let retried = 0; retried < MAX_CONSECUTIVE_FAILURES; retried++) statuses.push((await deliverAttempt(queued!.payload, retried)).status);
    // Every failure but the one that disabled the endpoint asks QStash to retry.
    expect(statuses).toEqual([...Array(MAX_CONSECUTIVE_FAILURES - 1).fill(503), 200]);
    const owner = await t.owner.token();
    const disabled = await json<Endpoint>(await call(`/v1/automation/webhooks/${endpoint.id}`, { token: owner }));
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabledReason).toMatch(/5 consecutive failed attempts.*502/);
    // A disabled endpoint gets no new deliveries, and a retry still in flight sends nothing.
    await createCustomer(t);
    expect(await takeQueued(t.id)).toEqual([]);
    expect((await json<{ result: { outcome: string } }>(await deliverAttempt(queued!.payload, MAX_CONSECUTIVE_FAILURES))).result.outcome).toBe("skipped");
    expect(rec.requests).toHaveLength(MAX_CONSECUTIVE_FAILURES);

    const enabled = await json<Endpoint>(await call(`/v1/automation/webhooks/${endpoint.id}/enable`, { method: "POST", token: owner }));
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    await createCustomer(t);
    expect(await takeQueued(t.id)).toHaveLength(1);
  });

  it("replay sends the same delivery again: same webhook-id, a new attempt id", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    await createCustomer(t);
    const [queued] = await takeQueued(t.id);
    await deliverAttempt(queued!.payload);
    const replay = await call(`/v1/automation/webhooks/${endpoint.id}/deliveries/${queued!.payload.deliveryId}/replay`, { method: "POST", token: await t.owner.token() });
    expect(replay.status).toBe(202);
    const { attemptId } = await json<{ attemptId: string }>(replay);
    expect(attemptId).not.toBe(queued!.payload.attemptId);
    const [again] = await takeQueued(t.id);
    expect(again!.payload).toEqual({ ...queued!.payload, attemptId });
    // Out of order: the replay's attempt twice, then the original one late.
    await deliverAttempt(again!.payload);
    await deliverAttempt(again!.payload);
    await deliverAttempt(queued!.payload);
    expect(rec.requests).toHaveLength(2);
    expect(rec.requests[1]!.headers["webhook-id"]).toBe(queued!.payload.deliveryId);
    expect(rec.requests[1]!.body).toBe(rec.requests[0]!.body);
    const [delivery] = await deliveries(t, endpoint.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2, replays: 1 });
    expect(delivery!.attemptLog.map((a) => a.attemptId)).toEqual([queued!.payload.attemptId, attemptId]);
  });

  it("a rotated secret signs the next attempts; the old one no longer verifies", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    const rotated = await json<{ secret: string }>(await call(`/v1/automation/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", token: await t.owner.token() }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    await createCustomer(t);
    const [queued] = await takeQueued(t.id);
    await deliverAttempt(queued!.payload);
    const sent = rec.requests[0]!;
    expect(() => new Webhook(rotated.secret).verify(sent.body, sent.headers)).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(sent.body, sent.headers)).toThrow();
  });
});
