// Regressions from the adversarial review of automation (issue 13):
// - call_webhook sends tenant data to a URL of the author's choice, so defining it needs
//   webhooks.manage (as an endpoint does), not only automation.manage;
// - workflow messages reach staff only: a send_message step addressed to a portal customer fails
//   with recipient_not_found and nothing is sent.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { sinkMessages } from "../../support/sink.ts";
import { createWorkflow, run, step } from "../workflows/helpers.ts";

const webhookWorkflow = { name: "Out", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }, { type: "call_webhook", url: "https://hooks.example.com/x" }] };

describe("automation review fixes", { timeout: 60_000 }, () => {
  it("automation.manage alone cannot define call_webhook (403); with webhooks.manage it can", async () => {
    const t = await seedTenant();
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'automation.manage', true)", [t.id, t.manager.id]));
    const token = await t.manager.token();
    const refused = await call("/v1/automation/workflows", { method: "POST", token, body: webhookWorkflow });
    expect(refused.status).toBe(403);
    const summary = await call("/v1/automation/workflows", { method: "POST", token, body: { ...webhookWorkflow, actions: [{ type: "generate_summary" }] } });
    expect(summary.status).toBe(201);
    // Nor can it be added later by a new version.
    const { id } = (await summary.json()) as { id: string };
    const patched = await call(`/v1/automation/workflows/${id}`, { method: "PATCH", token, body: { actions: webhookWorkflow.actions } });
    expect(patched.status).toBe(403);
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'webhooks.manage', true)", [t.id, t.manager.id]));
    expect((await call("/v1/automation/workflows", { method: "POST", token, body: webhookWorkflow })).status).toBe(201);
  });

  it("a message step addressed to a portal customer fails with recipient_not_found and sends nothing", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, {
      name: "Leak",
      trigger: { type: "manual" },
      actions: [{ type: "send_message", userId: t.customer.id, subject: "Internal", text: "every appointment this week" }],
    });
    const ex = await run(t, wf.id);
    expect(await step(t, ex.id, 0)).toMatchObject({ outcome: "failed", error: "recipient_not_found" });
    expect(await sinkMessages({ recipient: t.customer.email })).toEqual([]);
  });
});
