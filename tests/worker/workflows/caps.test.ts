// Caps so one member or business cannot flood: the plan's workflow count (also under concurrent
// creates), scheduled triggers no more often than every 15 minutes, and the plan's daily outbound
// message budget (over it a message is recorded skipped with reason budget, nothing is sent).
import { describe, expect, it } from "vitest";
import { PLANS } from "../../../shared/plans.ts";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { freshChatId, sinkMessages } from "../../support/sink.ts";
import { effects, markVerified } from "../automation/support.ts";
import { createWorkflow } from "./helpers.ts";

const manual = (name: string) => ({ name, trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] });
const scheduled = (cron: string) => ({ name: `Every ${cron}`, trigger: { type: "scheduled", cron, timeZone: "Europe/Berlin" }, actions: [{ type: "generate_summary" }] });

async function create(t: SeededTenant, body: Record<string, unknown>): Promise<Response> {
  return call("/v1/automation/workflows", { method: "POST", token: await t.owner.token(), body });
}

describe("automation caps", { timeout: 90_000 }, () => {
  it("a scheduled trigger runs at most every 15 minutes: tighter crons are a 400 naming the field, on create and on update", async () => {
    const t = await seedTenant();
    for (const cron of ["* * * * *", "*/5 * * * *", "*/14 * * * *", "0,10 9 * * *", "0,59 * * * *"]) {
      const problem = await expectProblem(await create(t, scheduled(cron)), 400, "bad_request");
      expect(problem.errors, cron).toEqual([{ path: "body.trigger.cron", message: "must not run more often than every 15 minutes" }]);
    }
    for (const cron of ["*/15 * * * *", "0 8 * * *", "0,30 * * * *", "0 */2 * * 1-5"]) expect((await create(t, scheduled(cron))).status, cron).toBe(201);
    const wf = await createWorkflow(t, scheduled("0 8 * * *"));
    const patch = await call(`/v1/automation/workflows/${wf.id}`, { method: "PATCH", token: await t.owner.token(), body: { trigger: { type: "scheduled", cron: "* * * * *", timeZone: "UTC" } } });
    const problem = await expectProblem(patch, 400, "bad_request");
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toEqual(["body.trigger.cron"]);
  });

  it("a business keeps at most its plan's number of workflows, even when the creates race; a bigger plan allows more", async () => {
    const t = await seedTenant();
    const cap = PLANS.free.automationLimits.workflows;
    const statuses = (await Promise.all(Array.from({ length: cap + 3 }, (_, i) => create(t, manual(`Race ${i}`))))).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(cap);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    const problem = await expectProblem(await create(t, manual("One more")), 409, "plan_limit_reached");
    expect(problem.title).toBe("The plan's limit for this resource is reached");
    const count = await withAdmin((c) => c.query("select count(*)::int as n from public.workflows where tenant_id = $1", [t.id]));
    expect(count.rows[0].n).toBe(cap);
    // Another business is not affected; an upgraded one may create more.
    const other = await seedTenant();
    expect((await create(other, manual("Mine"))).status).toBe(201);
    await withAdmin((c) => c.query("update public.tenants set plan = 'pro' where id = $1", [t.id]));
    expect((await create(t, manual("After the upgrade"))).status).toBe(201);
  });

  it("over the daily message budget a message is recorded skipped (budget) and nothing is sent, once per channel", async () => {
    const t = await seedTenant();
    const chat = freshChatId();
    await markVerified(t.id, t.employee.id, "telegram", chat);
    await call("/v1/me/notifications", { method: "PUT", token: await t.employee.token(), body: { channels: { email: true, telegram: true }, email: null, telegramChatId: chat, quietHours: null } });
    const budget = PLANS.free.automationLimits.dailyMessages;
    // One message left today.
    await withAdmin((c) => c.query("insert into public.outbound_message_budget (tenant_id, day, used) values ($1, (now() at time zone 'UTC')::date, $2)", [t.id, budget - 1]));
    const reminder = await json<{ id: string }>(await call("/v1/automation/reminders", { token: await t.employee.token(), body: { text: "Budget", remindAt: new Date(Date.now() + 3600_000).toISOString() } }));
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push((await json<{ result: { channels: Record<string, string> } }>(await deliver("adhoc-reminder", { tenantId: t.id, reminderId: reminder.id }, `msg-${i}`))).result.channels);
    expect(Object.values(replies[0]!).sort()).toEqual(["sent", "skipped"]);
    expect(replies.slice(1).every((r) => Object.values(r).every((s) => s === "duplicate"))).toBe(true);
    const rows = await effects(t.id);
    expect(rows.map((r) => [r.status, r.reason]).sort()).toEqual([["sent", null], ["skipped", "budget"]]);
    expect((await sinkMessages({ recipient: t.employee.email })).length + (await sinkMessages({ recipient: chat })).length).toBe(1);
    const used = await withAdmin((c) => c.query("select used from public.outbound_message_budget where tenant_id = $1", [t.id]));
    expect(used.rows).toEqual([{ used: budget }]);
    // Another business's budget is its own.
    const other = await seedTenant();
    const theirs = await json<{ id: string }>(await call("/v1/automation/reminders", { token: await other.employee.token(), body: { text: "Mine", remindAt: new Date(Date.now() + 3600_000).toISOString() } }));
    expect((await json<{ result: { channels: Record<string, string> } }>(await deliver("adhoc-reminder", { tenantId: other.id, reminderId: theirs.id }))).result.channels).toEqual({ email: "sent", telegram: "not enabled" });
  });
});
