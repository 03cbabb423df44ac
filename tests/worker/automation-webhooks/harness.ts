// What the webhook tests share: an outbound recorder standing in for receivers, and running the
// webhook-delivery job as QStash delivers it (signed; Upstash-Retried on retries).
//
// The recorder wraps the isolate's global fetch, the one the Worker's sender calls (requests
// through exports.default run in this same isolate): a request to a receiver host never leaves,
// it is recorded and answered as the test says; anything else goes on unchanged. The SSRF guard
// is not touched: receiver.example.com is a public name.
import { afterEach, beforeEach, vi } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { qstashSignature } from "../../support/qstash.ts";
import type { SeededTenant } from "../../support/seed.ts";

export interface Recorded {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const RECEIVER_HOST = "receiver.example.com";

export function recorder() {
  const state = { requests: [] as Recorded[], all: [] as string[], answer: (_r: Recorded): Response => new Response("ok", { status: 200 }) };
  beforeEach(() => {
    state.requests = [];
    state.all = [];
    state.answer = () => new Response("ok", { status: 200 });
    const original = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      state.all.push(request.url);
      if (url.hostname === RECEIVER_HOST || url.hostname.endsWith(".example.com")) {
        const rec = { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
        state.requests.push(rec);
        return state.answer(rec);
      }
      return original(input, init);
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return state;
}

export type Endpoint = { id: string; url: string; secret?: string; enabled: boolean; disabledReason: string | null; consecutiveFailures: number; eventTypes: string[] | null };

export async function createEndpoint(t: SeededTenant, body: Record<string, unknown> = {}): Promise<Endpoint & { secret: string }> {
  const res = await call("/v1/automation/webhooks", {
    method: "POST",
    token: await t.owner.token(),
    body: { url: `https://${RECEIVER_HOST}/hooks/${crypto.randomUUID()}`, ...body },
  });
  if (res.status !== 201) throw new Error(`create endpoint: ${res.status} ${await res.text()}`);
  return json(res);
}

export type Queued = { dedupe_id: string; payload: { tenantId: string; deliveryId: string; attemptId: string } };

/**
 * The webhook attempts queued in the tenant's outbox and not yet taken, oldest first; taken here
 * (marked published, as the drain would) so no other test's drain sends them.
 */
export async function takeQueued(tenantId: string): Promise<Queued[]> {
  return withAdmin(async (c) =>
    (await c.query<Queued>(
      `update public.job_outbox set published_at = now(), message_id = 'taken-by-test' where id in (
         select id from public.job_outbox where tenant_id = $1 and job = 'webhook-delivery' and published_at is null)
       returning dedupe_id, payload, created_at`,
      [tenantId],
    )).rows,
  );
}

/** Runs one webhook-delivery as QStash would deliver it (retried: Upstash-Retried). */
export async function deliverAttempt(payload: Queued["payload"], retried = 0): Promise<Response> {
  const path = "/hooks/qstash/webhook-delivery";
  const body = JSON.stringify(payload);
  return call(path, {
    method: "POST",
    rawBody: body,
    headers: {
      "content-type": "application/json",
      "upstash-signature": await qstashSignature(path, body),
      "upstash-message-id": `msg_${payload.attemptId}`,
      "upstash-retried": String(retried),
    },
  });
}

/** Makes a customer.created event through the API. */
export async function createCustomer(t: SeededTenant, name = `Customer ${crypto.randomUUID().slice(0, 8)}`): Promise<string> {
  const res = await call("/v1/customers", { method: "POST", token: await t.owner.token(), body: { name } });
  if (res.status !== 201) throw new Error(`create customer: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

export type Delivery = {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  replays: number;
  attemptLog: { id: string; attemptId: string; try: number; outcome: string; statusCode: number | null; latencyMs: number | null; error: string | null; responseSnippet: string | null }[];
};

export async function deliveries(t: SeededTenant, endpointId: string): Promise<Delivery[]> {
  const res = await call(`/v1/automation/webhooks/${endpointId}/deliveries`, { token: await t.owner.token() });
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${await res.text()}`);
  return (await json<{ data: Delivery[] }>(res)).data;
}
