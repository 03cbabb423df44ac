// Outbound signing secrets are stored encrypted (AES-GCM, key id in the value): the table holds no
// plaintext, deliveries still verify with the secret shown once, a legacy plaintext row still
// works and is encrypted on the next rotation, a ciphertext moved to another business does not
// decrypt. Replays have a named limit per business.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import { createCustomer, createEndpoint, deliverAttempt, recorder, takeQueued } from "./harness.ts";

const stored = async (endpointId: string) =>
  (await withAdmin((c) => c.query<{ secret: string }>("select secret from public.webhook_secrets where endpoint_id = $1", [endpointId]))).rows[0]!.secret;

function verify(secret: string, rec: { headers: Record<string, string>; body: string }) {
  return new Webhook(secret).verify(rec.body, { "webhook-id": rec.headers["webhook-id"]!, "webhook-timestamp": rec.headers["webhook-timestamp"]!, "webhook-signature": rec.headers["webhook-signature"]! });
}

describe("webhook signing secrets at rest", { timeout: 90_000 }, () => {
  const rec = recorder();

  it("stores only ciphertext under a key id; a delivery is signed with the secret shown once", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    const value = await stored(endpoint.id);
    expect(value).toMatch(/^enc:v1:test2:[A-Za-z0-9+/]+={0,2}$/);
    expect(value).not.toContain(endpoint.secret.slice(6));
    await createCustomer(t);
    for (const q of await takeQueued(t.id)) expect((await deliverAttempt(q.payload)).status).toBe(200);
    expect(rec.requests.length).toBe(1);
    expect(() => verify(endpoint.secret, rec.requests[0]!)).not.toThrow();
  });

  it("a legacy plaintext row still signs; the next rotation stores it encrypted", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    const legacy = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
    await withAdmin((c) => c.query("update public.webhook_secrets set secret = $2 where endpoint_id = $1", [endpoint.id, legacy]));
    await createCustomer(t);
    for (const q of await takeQueued(t.id)) expect((await deliverAttempt(q.payload)).status).toBe(200);
    expect(() => verify(legacy, rec.requests[0]!)).not.toThrow();

    const before = await json<{ secretRotatedAt: string }>(await call(`/v1/automation/webhooks/${endpoint.id}`, { token: await t.owner.token() }));
    const res = await call(`/v1/automation/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", token: await t.owner.token() });
    expect(res.status).toBe(200);
    const rotated = await json<{ secret: string; secretRotatedAt: string }>(res);
    expect(new Date(rotated.secretRotatedAt).getTime()).toBeGreaterThan(new Date(before.secretRotatedAt).getTime());
    expect(await stored(endpoint.id)).toMatch(/^enc:v1:test2:/);
    await createCustomer(t);
    for (const q of await takeQueued(t.id)) expect((await deliverAttempt(q.payload)).status).toBe(200);
    expect(() => verify(rotated.secret, rec.requests[1]!)).not.toThrow();
  });

  it("a ciphertext copied into another business's row does not decrypt there: skipped, nothing sent, no failure counted", async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    const mine = await createEndpoint(a);
    const theirs = await createEndpoint(b);
    await withAdmin((c) => c.query("update public.webhook_secrets set secret = (select secret from public.webhook_secrets where endpoint_id = $2) where endpoint_id = $1", [theirs.id, mine.id]));
    await createCustomer(b);
    for (const q of await takeQueued(b.id)) expect((await deliverAttempt(q.payload)).status).toBe(200);
    expect(rec.requests.length).toBe(0);
    const rows = await withAdmin((c) =>
      c.query("select d.status, e.consecutive_failures from public.webhook_deliveries d join public.webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id where d.endpoint_id = $1", [theirs.id]),
    );
    expect(rows.rows).toEqual([{ status: "skipped", consecutive_failures: 0 }]);
  });
});

describe("replay limit", { timeout: 120_000 }, () => {
  recorder();
  it("at most 100 replays an hour per business: the next is 429 with Retry-After and queues nothing", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    await createCustomer(t);
    await takeQueued(t.id);
    const [delivery] = (await withAdmin((c) => c.query<{ id: string }>("select id from public.webhook_deliveries where endpoint_id = $1", [endpoint.id]))).rows;
    // The enterprise plan's member share (3000/min) leaves the named limit as the only one in play.
    const token = await hs256Token({ id: t.admin.id, email: t.admin.email, tenantId: t.id }, { claims: { tenant_plan: "enterprise" } });
    const replay = () => call(`/v1/automation/webhooks/${endpoint.id}/deliveries/${delivery!.id}/replay`, { method: "POST", token });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i += 10) statuses.push(...(await Promise.all(Array.from({ length: 10 }, replay))).map((r) => r.status));
    expect(statuses.filter((s) => s === 202).length).toBe(100);
    const refused = await replay();
    await expectProblem(refused, 429, "rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await takeQueued(t.id)).length).toBe(100);
  });
});
