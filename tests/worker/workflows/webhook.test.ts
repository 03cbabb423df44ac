// Inbound webhooks: Standard Webhooks signature with the workflow's own secret; bad signature,
// old timestamp, replayed id, another tenant's secret → 401 and no execution.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { createWorkflow, type Workflow } from "./helpers.ts";

async function webhookWorkflow(t: SeededTenant): Promise<{ wf: Workflow; secret: string }> {
  const wf = await createWorkflow(t, { name: "Inbound", trigger: { type: "webhook" }, actions: [{ type: "generate_summary" }] });
  const token = await t.owner.token();
  expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token })).status).toBe(200);
  const res = await call(`/v1/automation/workflows/${wf.id}/webhook`, { token });
  expect(res.status).toBe(200);
  const { url, secret } = await json<{ url: string; secret: string }>(res);
  expect(url).toMatch(new RegExp(`/hooks/workflows/${wf.id}$`));
  expect(secret).toMatch(/^whsec_/);
  return { wf, secret };
}

function signed(secret: string, body: string, options: { id?: string; at?: Date } = {}) {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

const post = (workflowId: string, body: string, headers: Record<string, string>) => call(`/hooks/workflows/${workflowId}`, { method: "POST", rawBody: body, headers });
const executions = async (workflowId: string) =>
  (await withAdmin((c) => c.query("select trigger_kind, trigger_id, trigger_payload from public.workflow_executions where workflow_id = $1", [workflowId]))).rows;

describe("workflow webhooks", { timeout: 60_000 }, () => {
  it("a signed webhook starts one execution with its body as the trigger payload; a replayed id is refused", async () => {
    const t = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    const body = JSON.stringify({ order: 42 });
    const headers = signed(secret, body);
    const res = await post(wf.id, body, headers);
    expect(res.status).toBe(202);
    const { executionId } = await json<{ executionId: string }>(res);
    expect(executionId).toMatch(/^[0-9a-f-]{36}$/);
    await expectProblem(await post(wf.id, body, headers), 401, "unauthorized");
    expect(await executions(wf.id)).toEqual([{ trigger_kind: "webhook", trigger_id: `webhook:${headers["webhook-id"]}`, trigger_payload: { order: 42 } }]);
  });

  it("refuses a bad signature, an old timestamp, another workflow's secret, and an unknown workflow: 401, nothing starts", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    const { secret: otherSecret } = await webhookWorkflow(other);
    const body = JSON.stringify({ order: 1 });
    const tampered = { ...signed(secret, body), "webhook-signature": signed(secret, JSON.stringify({ order: 2 }))["webhook-signature"] };
    await expectProblem(await post(wf.id, body, tampered), 401, "unauthorized");
    await expectProblem(await post(wf.id, body, signed(secret, body, { at: new Date(Date.now() - 10 * 60_000) })), 401, "unauthorized");
    await expectProblem(await post(wf.id, body, signed(otherSecret, body)), 401, "unauthorized");
    await expectProblem(await post(wf.id, body, { "content-type": "application/json" }), 401, "unauthorized");
    await expectProblem(await post(crypto.randomUUID(), body, signed(secret, body)), 401, "unauthorized");
    expect(await executions(wf.id)).toEqual([]);
  });

  it("an inactive workflow starts nothing (409), and a manual-trigger workflow takes no webhooks (401)", async () => {
    const t = await seedTenant();
    const { wf, secret } = await webhookWorkflow(t);
    expect((await call(`/v1/automation/workflows/${wf.id}/deactivate`, { method: "POST", token: await t.owner.token() })).status).toBe(200);
    const body = "{}";
    await expectProblem(await post(wf.id, body, signed(secret, body)), 409, "conflict");
    const manual = await createWorkflow(t, { name: "Manual", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] });
    const manualSecret = (await json<{ secret: string }>(await call(`/v1/automation/workflows/${manual.id}/webhook`, { token: await t.owner.token() }))).secret;
    await expectProblem(await post(manual.id, body, signed(manualSecret, body)), 401, "unauthorized");
    expect(await executions(wf.id)).toEqual([]);
    expect(await executions(manual.id)).toEqual([]);
  });
});
