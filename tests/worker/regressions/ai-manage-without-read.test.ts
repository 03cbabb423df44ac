// Regression (fuzz, 2026-12-02): an employee granted ai.manage but not ai.read retired a worker
// through POST /v1/ai/workers/{id}/status and got 404 — while the change and its event committed.
// A worker the caller cannot read is not found to the definer functions too: nothing is written.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

describe("ai.manage without ai.read", { timeout: 60_000 }, () => {
  it("changes no worker's status and starts no run: 404, nothing written", async () => {
    const t = await seedTenant();
    const w = await json<{ id: string }>(await call("/v1/ai/workers", { method: "POST", token: await t.owner.token(), body: { kind: "office_assistant", name: "Assistant" } }));
    expect((await call(`/v1/ai/workers/${w.id}/status`, { method: "POST", token: await t.owner.token(), body: { status: "active" } })).status).toBe(200);
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'ai.manage', true)", [t.id, t.employee.id]));
    const token = await t.employee.token();

    await expectProblem(await call(`/v1/ai/workers/${w.id}/status`, { method: "POST", token, body: { status: "retired" } }), 404, "not_found");
    await expectProblem(await call(`/v1/ai/workers/${w.id}/runs`, { method: "POST", token, body: { task: "summarize_tasks", input: { memberId: t.employee.id } } }), 404, "not_found");

    const state = await withAdmin(async (c) => ({
      status: (await c.query("select status from public.ai_workers where id = $1", [w.id])).rows[0].status,
      events: (await c.query("select count(*)::int as n from public.ai_worker_events where worker_id = $1", [w.id])).rows[0].n,
      runs: (await c.query("select count(*)::int as n from public.ai_runs where worker_id = $1", [w.id])).rows[0].n,
    }));
    expect(state).toEqual({ status: "active", events: 2, runs: 0 });
    // Without ai.manage it stays 403.
    await expectProblem(await call(`/v1/ai/workers/${w.id}/status`, { method: "POST", token: await t.manager.token(), body: { status: "retired" } }), 403, "forbidden");
  });
});
