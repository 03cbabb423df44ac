// Who may manage webhooks and read the event log, inside a business and across businesses, and
// that the signing secret never comes back out.
import { describe, expect, it } from "vitest";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createCustomer, createEndpoint, takeQueued } from "./harness.ts";

describe("webhooks: access", { timeout: 60_000 }, () => {
  it("managers, employees and customers cannot manage webhooks (403), whatever they send", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    for (const who of [t.manager, t.employee, t.customer]) {
      const token = await who.token();
      await expectProblem(await call("/v1/automation/webhooks", { token }), 403, "forbidden");
      await expectProblem(await call("/v1/automation/webhooks", { method: "POST", token, body: { url: "https://receiver.example.com/x" } }), 403, "forbidden");
      // Even with an invalid body: 403 first, no hint about the parameters.
      await expectProblem(await call("/v1/automation/webhooks", { method: "POST", token, body: { url: "http://127.0.0.1" } }), 403, "forbidden");
      await expectProblem(await call(`/v1/automation/webhooks/${endpoint.id}`, { token }), 403, "forbidden");
      await expectProblem(await call(`/v1/automation/webhooks/${endpoint.id}`, { method: "PATCH", token, body: { description: "mine" } }), 403, "forbidden");
      await expectProblem(await call(`/v1/automation/webhooks/${endpoint.id}`, { method: "DELETE", token }), 403, "forbidden");
      await expectProblem(await call(`/v1/automation/webhooks/${endpoint.id}/rotate-secret`, { method: "POST", token }), 403, "forbidden");
      await expectProblem(await call(`/v1/automation/webhooks/${endpoint.id}/enable`, { method: "POST", token }), 403, "forbidden");
      await expectProblem(await call(`/v1/automation/webhooks/${endpoint.id}/deliveries`, { token }), 403, "forbidden");
    }
    const still = await json<{ description: string | null }>(await call(`/v1/automation/webhooks/${endpoint.id}`, { token: await t.admin.token() }));
    expect(still.description).toBeNull();
  });

  it("another business's endpoint and deliveries are 404 to every route", async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    const endpoint = await createEndpoint(a);
    const customerOfA = await createCustomer(a);
    const [queued] = await takeQueued(a.id);
    const token = await b.owner.token();
    const base = `/v1/automation/webhooks/${endpoint.id}`;
    await expectProblem(await call(base, { token }), 404, "not_found");
    await expectProblem(await call(base, { method: "PATCH", token, body: { description: "taken" } }), 404, "not_found");
    await expectProblem(await call(`${base}/rotate-secret`, { method: "POST", token }), 404, "not_found");
    await expectProblem(await call(`${base}/enable`, { method: "POST", token }), 404, "not_found");
    await expectProblem(await call(`${base}/deliveries`, { token }), 404, "not_found");
    await expectProblem(await call(`${base}/deliveries/${queued!.payload.deliveryId}/replay`, { method: "POST", token }), 404, "not_found");
    // b's own endpoint with a's delivery id: still 404 (a delivery belongs to its endpoint).
    const own = await createEndpoint(b);
    await expectProblem(await call(`/v1/automation/webhooks/${own.id}/deliveries/${queued!.payload.deliveryId}/replay`, { method: "POST", token }), 404, "not_found");
    await expectProblem(await call(base, { method: "DELETE", token }), 404, "not_found");
    expect((await json<{ data: unknown[] }>(await call("/v1/automation/webhooks", { token }))).data).toHaveLength(1);
    expect(await takeQueued(a.id)).toEqual([]);
    // b's events are b's alone.
    const events = await json<{ data: { subjectId: string }[] }>(await call("/v1/automation/events?limit=200", { token }));
    expect(events.data.length).toBeGreaterThan(0);
    expect(events.data.some((e) => e.subjectId === customerOfA)).toBe(false);
    const ofA = await json<{ data: { subjectId: string }[] }>(await call("/v1/automation/events?limit=200", { token: await a.owner.token() }));
    expect(ofA.data.some((e) => e.subjectId === customerOfA)).toBe(true);
  });

  it("the secret is shown at creation and rotation only: no route returns it, and authenticated cannot read its table", async () => {
    const t = await seedTenant();
    const endpoint = await createEndpoint(t);
    const token = await t.owner.token();
    const texts = [
      await (await call("/v1/automation/webhooks", { token })).text(),
      await (await call(`/v1/automation/webhooks/${endpoint.id}`, { token })).text(),
      await (await call(`/v1/automation/webhooks/${endpoint.id}`, { method: "PATCH", token, body: { description: "ops" } })).text(),
      await (await call(`/v1/automation/webhooks/${endpoint.id}/enable`, { method: "POST", token })).text(),
      await (await call(`/v1/automation/webhooks/${endpoint.id}/deliveries`, { token })).text(),
    ];
    for (const text of texts) {
      expect(text).not.toContain(endpoint.secret);
      expect(text).not.toContain("whsec_");
    }
    const claims = { sub: t.owner.id, role: "authenticated", tenant_id: t.id };
    await expect(asAuthenticated(claims, (c) => c.query("select secret from public.webhook_secrets"))).rejects.toThrow(/permission denied/);
    const audit = await withAdmin((c) => c.query("select after::text as after from public.audit_log where tenant_id = $1 and resource_type = 'webhook_endpoints'", [t.id]));
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(audit.rows.every((r) => !String(r.after).includes("whsec_"))).toBe(true);
  });

  it("the event log: automation.read (managers up) lists events newest first, by type and page; employees get 403", async () => {
    const t = await seedTenant();
    const first = await createCustomer(t, "First");
    const second = await createCustomer(t, "Second");
    const manager = await t.manager.token();
    const page1 = await json<{ data: { type: string; subjectId: string; actorId: string; payload: Record<string, unknown> }[]; nextCursor: string }>(
      await call("/v1/automation/events?type=customer.created&limit=1", { token: manager }),
    );
    expect(page1.data).toHaveLength(1);
    expect(page1.data[0]).toMatchObject({ type: "customer.created", subjectId: second, actorId: t.owner.id, payload: { id: second, name: "Second" } });
    const page2 = await json<{ data: { subjectId: string }[] }>(await call(`/v1/automation/events?type=customer.created&limit=1&cursor=${page1.nextCursor}`, { token: manager }));
    expect(page2.data.map((e) => e.subjectId)).toEqual([first]);
    await expectProblem(await call("/v1/automation/events", { token: await t.employee.token() }), 403, "forbidden");
    await expectProblem(await call("/v1/automation/events?type=nope", { token: await t.employee.token() }), 403, "forbidden");
    await expectProblem(await call("/v1/automation/events?type=nope", { token: manager }), 400, "bad_request");
  });
});
