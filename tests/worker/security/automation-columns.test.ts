// Bookkeeping columns of automation are written only by the private definer functions and
// triggers: a member holding every permission (the owner), running SQL directly as
// `authenticated`, cannot set a workflow's version or trigger kind, an endpoint's failure count,
// disabled time or rotation time, a secret, a key generation, or any delivery, attempt,
// execution or step record.
import { describe, expect, it } from "vitest";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

describe("automation bookkeeping columns", { timeout: 60_000 }, () => {
  it("authenticated (the owner) cannot write them directly: 42501 for each", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const wfRes = await call("/v1/automation/workflows", { method: "POST", token, body: { name: "W", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] } });
    expect(wfRes.status).toBe(201);
    const wf = await json<{ id: string }>(wfRes);
    const epRes = await call("/v1/automation/webhooks", { method: "POST", token, body: { url: "https://receiver.example.com/hook" } });
    expect(epRes.status).toBe(201);
    const ep = await json<{ id: string }>(epRes);
    expect((await call(`/v1/automation/workflows/${wf.id}/run`, { method: "POST", token, body: {} })).status).toBe(202);
    const claims = { sub: t.owner.id, role: "authenticated", tenant_id: t.id };
    const refused = [
      ["update public.workflows set current_version = 7 where id = $1", [wf.id]],
      ["update public.workflows set trigger_kind = 'webhook' where id = $1", [wf.id]],
      ["update public.webhook_endpoints set consecutive_failures = 0 where id = $1", [ep.id]],
      ["update public.webhook_endpoints set disabled_at = null where id = $1", [ep.id]],
      ["update public.webhook_endpoints set secret_rotated_at = now() where id = $1", [ep.id]],
      ["update public.webhook_secrets set secret = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' where endpoint_id = $1", [ep.id]],
      ["insert into public.workflow_webhook_keys (tenant_id, workflow_id, generation, previous_valid_until) values ($1, $2, 5, now())", [t.id, wf.id]],
      ["select generation from public.workflow_webhook_keys where workflow_id = $1", [wf.id]],
      ["update public.webhook_deliveries set status = 'delivered' where endpoint_id = $1", [ep.id]],
      ["insert into public.webhook_attempts (tenant_id, delivery_id, attempt_id) values ($1, gen_random_uuid(), gen_random_uuid())", [t.id]],
      ["update public.workflow_executions set status = 'succeeded' where workflow_id = $1", [wf.id]],
      ["update public.workflow_execution_steps set output = '{}' where tenant_id = $1", [t.id]],
      ["update public.workflow_versions set actions = '[]' where workflow_id = $1", [wf.id]],
    ] as const;
    for (const [sql, params] of refused) {
      await expect(asAuthenticated(claims, (c) => c.query(sql, [...params])), sql).rejects.toMatchObject({ code: "42501" });
    }
    // An insert naming a trigger kind makes an inert manual workflow until its first version.
    await asAuthenticated(claims, async (c) => {
      const made = await c.query("insert into public.workflows (tenant_id, name, trigger_kind, active, created_by) values ($1, 'x', 'webhook', true, $2) returning trigger_kind, current_version", [t.id, t.owner.id]);
      expect(made.rows).toEqual([{ trigger_kind: "manual", current_version: 1 }]);
    });
    // A version out of order cannot roll a workflow back or skip ahead (AO409), and what a member
    // may write (a new version, through RLS) moves the bookkeeping with it.
    const version = (n: number) =>
      asAuthenticated(claims, (c) =>
        c.query("insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by) values ($1, $2, $3, '{\"type\":\"webhook\"}', '[{\"type\":\"generate_summary\"}]', $4)", [t.id, wf.id, n, t.owner.id]),
      );
    await expect(version(5)).rejects.toMatchObject({ code: "AO409" });
    await asAuthenticated(claims, async (c) => {
      await c.query("insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by) values ($1, $2, 2, '{\"type\":\"webhook\"}', '[{\"type\":\"generate_summary\"}]', $3)", [t.id, wf.id, t.owner.id]);
      const row = await c.query("select current_version, trigger_kind from public.workflows where id = $1", [wf.id]);
      expect(row.rows).toEqual([{ current_version: 2, trigger_kind: "webhook" }]);
    });
    const untouched = await withAdmin((c) => c.query("select current_version, trigger_kind from public.workflows where id = $1", [wf.id]));
    expect(untouched.rows).toEqual([{ current_version: 1, trigger_kind: "manual" }]);
  });

  it("disabling records when; enabling clears it and the failure count, whoever wrote the flag", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const ep = await json<{ id: string }>(await call("/v1/automation/webhooks", { method: "POST", token, body: { url: "https://receiver.example.com/hook" } }));
    await withAdmin((c) => c.query("update public.webhook_endpoints set consecutive_failures = 3 where id = $1", [ep.id]));
    const off = await json<{ enabled: boolean; disabledAt: string | null; consecutiveFailures: number }>(
      await call(`/v1/automation/webhooks/${ep.id}`, { method: "PATCH", token, body: { enabled: false } }),
    );
    expect(off.enabled).toBe(false);
    expect(off.disabledAt).not.toBeNull();
    const on = await json<{ enabled: boolean; disabledAt: string | null; consecutiveFailures: number; disabledReason: string | null }>(
      await call(`/v1/automation/webhooks/${ep.id}/enable`, { method: "POST", token }),
    );
    expect(on).toMatchObject({ enabled: true, disabledAt: null, consecutiveFailures: 0, disabledReason: null });
  });
});
