// The attack can fail: scratch policies that open the victim's tasks to the attacking tenant
// (permissive policies are OR'ed with the real ones), for reading and for updating, must be
// reported three ways: a wrong status, the victim's data in responses, and the victim's rows
// changed. The policies name only this test's tenants, so other test files are unaffected, and
// they are dropped in `finally`. (Tasks, because their queries leave tenancy to RLS alone;
// customers' queries also filter on the current tenant, so the same leak on customers never
// reaches a response: defence in depth, not a blind spot of the suite.)
import { expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { seedWorld } from "../../support/world.ts";
import { runAttack } from "./checker.ts";

it("reports policies that show and change another tenant's tasks", async () => {
  const world = await seedWorld({ attackers: 1 });
  const attacker = world.attackers[0]!;
  const name = `scratch_leak_${crypto.randomUUID().slice(0, 8)}`;
  const scope = `tenant_id = '${world.victim.id}' and (select private.current_tenant()) = '${attacker.id}'`;
  await withAdmin(async (c) => {
    await c.query(`create policy ${name}_select on public.tasks for select to authenticated using (${scope})`);
    await c.query(`create policy ${name}_update on public.tasks for update to authenticated using (${scope}) with check (true)`);
  });
  try {
    const report = await runAttack(world, { seed: 7, requests: 0, only: (op) => op.path.startsWith("/v1/tasks") });
    const rules = report.violations.map((v) => v.rule);
    const leaks = report.violations.filter((v) => v.rule.includes("response shows"));
    expect(leaks.some((v) => /^GET \/v1\/tasks\/[0-9a-f-]{36}$/.test(v.request) && v.status === 200), "the victim's task is served by id").toBe(true);
    expect(leaks.some((v) => /^GET \/v1\/tasks(\?|$)/.test(v.request) && v.rule.includes(world.victim.slug)), "lists show the victim's tasks").toBe(true);
    expect(report.violations.some((v) => v.rule.includes("expected 404 (another tenant's object)") && v.status === 200), "a 200 for another tenant's id").toBe(true);
    expect(rules.some((r) => r.startsWith(`the victim ${world.victim.slug} changed: `) && r.includes("tasks (")), "the victim's tasks changed").toBe(true);
  } finally {
    await withAdmin(async (c) => {
      await c.query(`drop policy if exists ${name}_select on public.tasks`);
      await c.query(`drop policy if exists ${name}_update on public.tasks`);
    });
  }
}, 120_000);
