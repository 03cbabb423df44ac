// Inbound workflow webhooks, hardened: the secret rotates (the previous one verifies for a grace
// period, then stops), and the rate limits cannot be spent by someone without the secret (per
// IP first; the per-workflow limit only after the signature verified; closed when Redis is down).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../../functions/app.ts";
import { API_HOST } from "../../support/config.ts";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { createWorkflow } from "./helpers.ts";

async function webhookWorkflow(t: SeededTenant) {
  const wf = await createWorkflow(t, { name: "Inbound", trigger: { type: "webhook" }, actions: [{ type: "generate_summary" }] });
  const token = await t.owner.token();
  expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token })).status).toBe(200);
  const { secret } = await json<{ secret: string }>(await call(`/v1/automation/workflows/${wf.id}/webhook`, { token }));
  return { wf, secret };
}

function signed(secrets: string[], body: string) {
  const id = `msg_${crypto.randomUUID()}`;
  const at = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(id, at, body)).join(" "),
  };
}

const post = (workflowId: string, body: string, headers: Record<string, string>) => call(`/hooks/workflows/${workflowId}`, { method: "POST", rawBody: body, headers });
const rotate = async (t: SeededTenant, workflowId: string, token?: string) =>
  call(`/v1/automation/workflows/${workflowId}/webhook/rotate-secret`, { method: "POST", token: token ?? (await t.owner.token()) });

describe("workflow webhook secret rotation", { timeout: 90_000 }, () => {
  it("a rotation shows a new secret; the previous one verifies during the grace period, then stops; the one before stops at once", async () => {
    const t = await seedTenant();
    const { wf, secret: first } = await webhookWorkflow(t);
    const res = await rotate(t, wf.id);
    expect(res.status).toBe(200);
    const rotated = await json<{ secret: string; generation: number; previousValidUntil: string }>(res);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);
    expect(rotated.generation).toBe(1);
    const grace = new Date(rotated.previousValidUntil).getTime() - Date.now();
    expect(grace).toBeGreaterThan(23.9 * 3600_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);
    // GET now shows the new secret.
    expect((await json<{ secret: string }>(await call(`/v1/automation/workflows/${wf.id}/webhook`, { token: await t.owner.token() }))).secret).toBe(rotated.secret);

    const body = JSON.stringify({ n: 1 });
    expect((await post(wf.id, body, signed([rotated.secret], body))).status).toBe(202);
    expect((await post(wf.id, body, signed([first], body))).status).toBe(202);
    // A sender switching over signs with both (space-separated signatures).
    expect((await post(wf.id, body, signed([first, rotated.secret], body))).status).toBe(202);

    // The grace period ends: the previous secret stops verifying, the new one goes on.
    await withAdmin((c) => c.query("update public.workflow_webhook_keys set previous_valid_until = now() - interval '1 second' where workflow_id = $1", [wf.id]));
    await expectProblem(await post(wf.id, body, signed([first], body)), 401, "unauthorized");
    expect((await post(wf.id, body, signed([rotated.secret], body))).status).toBe(202);

    // Two rotations: generation 1 verifies (grace), generation 0 stops at once.
    const again = await json<{ secret: string; generation: number }>(await rotate(t, wf.id));
    expect(again.generation).toBe(2);
    expect((await post(wf.id, body, signed([rotated.secret], body))).status).toBe(202);
    expect((await post(wf.id, body, signed([again.secret], body))).status).toBe(202);
    await expectProblem(await post(wf.id, body, signed([first], body)), 401, "unauthorized");

    // Both rotations audited as the owner's acts, without any secret in the record.
    const audit = await withAdmin((c) =>
      c.query("select action, after::text as after from public.audit_log where tenant_id = $1 and resource_type = 'workflow_webhook_keys' and actor_id = $2 order by id", [t.id, t.owner.id]),
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["workflow_webhook_keys.insert", "workflow_webhook_keys.update"]);
    expect(audit.rows.some((r) => String(r.after).includes("whsec_"))).toBe(false);
  });

  it("only automation.manage rotates (managers and employees 403); another tenant's workflow is 404 and keeps its secret", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    const { wf } = await webhookWorkflow(t);
    const { wf: theirs, secret: theirSecret } = await webhookWorkflow(other);
    await expectProblem(await rotate(t, wf.id, await t.manager.token()), 403, "forbidden");
    await expectProblem(await rotate(t, wf.id, await t.employee.token()), 403, "forbidden");
    await expectProblem(await rotate(t, theirs.id), 404, "not_found");
    await expectProblem(await rotate(t, crypto.randomUUID()), 404, "not_found");
    const body = "{}";
    expect((await post(theirs.id, body, signed([theirSecret], body))).status).toBe(202);
    expect((await withAdmin((c) => c.query("select count(*)::int as n from public.workflow_webhook_keys where tenant_id = any($1)", [[t.id, other.id]]))).rows[0].n).toBe(0);
  });
});

describe("workflow webhook rate limits", { timeout: 120_000 }, () => {
  it("junk from one address does not spend the workflow's limit: a signed request from another address still starts", async () => {
    const t = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    const attacker = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const junk = (i: number) =>
      post(wf.id, "{}", { "content-type": "application/json", "cf-connecting-ip": attacker, "webhook-id": `msg_junk${i}`, "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" });
    // More junk than the per-workflow limit (60/min): every one refused as unsigned.
    for (let i = 0; i < 70; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => junk(i + k)));
      for (const res of batch) await expectProblem(res, 401, "unauthorized");
    }
    const body = JSON.stringify({ ok: true });
    const res = await post(wf.id, body, { ...signed([secret], body), "cf-connecting-ip": "203.0.113.9" });
    expect(res.status, await res.clone().text()).toBe(202);
  });

  it("one address is limited to 120 requests a minute, before any work", async () => {
    const t = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
    const statuses: number[] = [];
    for (let i = 0; i < 130; i += 13) {
      const batch = await Promise.all(Array.from({ length: 13 }, () => post(crypto.randomUUID(), "{}", { "content-type": "application/json", "cf-connecting-ip": ip })));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(121);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
    // Even a correctly signed request from that address waits; from another it goes through.
    const body = "{}";
    await expectProblem(await post(wf.id, body, { ...signed([secret], body), "cf-connecting-ip": ip }), 429, "rate_limited");
    expect((await post(wf.id, body, signed([secret], body))).status).toBe(202);
  });

  it("the per-workflow limit (60/min) counts verified requests", async () => {
    const t = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    const statuses: number[] = [];
    for (let i = 0; i < 64; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: 8 }, () => {
          const body = "{}";
          return post(wf.id, body, { ...signed([secret], body), "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250) + 1}` });
        }),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(59);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(61);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
  });

  it("with Redis unreachable the hook fails closed (503 with Retry-After), nothing starts", async () => {
    const t = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    const app = buildApp();
    const deadRedis = { ...(env as unknown as Record<string, unknown>), UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const body = "{}";
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`https://${API_HOST}/hooks/workflows/${wf.id}`, { method: "POST", body, headers: { ...signed([secret], body), "cf-connecting-ip": "198.51.100.77" } }),
      deadRedis,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await expectProblem(res, 503, "unavailable");
    expect(res.headers.get("retry-after")).toBe("5");
    expect((await withAdmin((c) => c.query("select count(*)::int as n from public.workflow_executions where workflow_id = $1", [wf.id]))).rows[0].n).toBe(0);
  });
});
