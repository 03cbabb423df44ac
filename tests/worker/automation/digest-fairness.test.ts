// The digest sweep is fair and gives up: one member whose channel always fails (an address the
// provider refuses, like a Telegram chat that blocked the bot) neither stops the fire for everyone
// after it nor is retried forever; a digest deferred past midnight still goes out.
//
// The clock is faked (as in daily-digest.test.ts) to dates before any other test's template was
// turned on, so only this file's businesses are due.
import { afterEach, describe, expect, it, vi } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { PLANS } from "../../../shared/plans.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";

type Digest = { userId: string; tenantId: string; localDate: string; outcome: string; until?: string; channels?: Record<string, string> };
type Reply = { result: { at: string; digests: Digest[] } };

async function sweep(at: string): Promise<Digest[]> {
  vi.setSystemTime(Date.parse(at));
  const res = await deliver("digest-sweep", {});
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<Reply>(res)).result.digests;
}

async function enableDigest(t: SeededTenant, since: string) {
  const res = await call("/v1/automation/templates/daily_digest/enable", { method: "POST", token: await t.owner.token() });
  expect(res.status, await res.clone().text()).toBe(200);
  await withAdmin((c) => c.query("update public.automation_templates set enabled_at = $2 where tenant_id = $1 and template_key = 'daily_digest'", [t.id, since]));
}

const staff = (t: SeededTenant) => [t.owner, t.admin, t.manager, t.employee, t.colleague];

const rowOf = async (tenantId: string, userId: string, date: string) =>
  (
    await withAdmin((c) =>
      c.query<{ status: string; failures: number; due_at: Date | null; channels: Record<string, string> }>(
        "select status, failures, due_at, channels from public.daily_digests where tenant_id = $1 and user_id = $2 and local_date = $3",
        [tenantId, userId, date],
      ),
    )
  ).rows[0];

afterEach(() => {
  vi.useRealTimers();
});

describe("digest sweep fairness", { timeout: 300_000 }, () => {
  it("a member whose channel always fails holds up no one, is retried with back-off and given up after the 5th failure", async () => {
    // Six businesses of five staff each: 30 due, more than one batch (25). In each business the
    // staff member sorting first has an address the provider refuses, so every batch has one.
    const tenants: SeededTenant[] = [];
    for (let i = 0; i < 6; i++) tenants.push(await seedTenant());
    const failing = new Set<string>();
    for (const t of tenants) {
      await enableDigest(t, "2026-09-01T00:00:00Z");
      const first = staff(t).map((u) => u.id).sort()[0]!;
      failing.add(`${t.id}:${first}`);
      await withAdmin((c) => c.query("update public.memberships set email = 'blocked member@example.test' where tenant_id = $1 and user_id = $2", [t.id, first]));
    }
    const ids = new Set(tenants.map((t) => t.id));
    vi.useFakeTimers({ toFake: ["Date"] });
    const mine = async (at: string) => (await sweep(at)).filter((d) => ids.has(d.tenantId));

    const fire = await mine("2026-09-15T08:00:00Z");
    // Every member was attempted in this one fire: 24 sent, the 6 failing ones failed.
    expect(fire).toHaveLength(30);
    expect(fire.filter((d) => d.outcome === "sent")).toHaveLength(24);
    expect(new Set(fire.filter((d) => d.outcome === "failed").map((d) => `${d.tenantId}:${d.userId}`))).toEqual(failing);

    // Retried at 08:15, 08:45, 09:45, 11:45 (15, 30, 60, 120 minutes after each failure), not in between.
    const [tenantId, userId] = [...failing][0]!.split(":") as [string, string];
    expect(await rowOf(tenantId, userId, "2026-09-15")).toMatchObject({ status: "deferred", failures: 1, due_at: new Date("2026-09-15T08:15:00Z") });
    expect(await mine("2026-09-15T08:10:00Z")).toEqual([]);
    const retries = ["2026-09-15T08:15:00Z", "2026-09-15T08:45:00Z", "2026-09-15T09:45:00Z", "2026-09-15T11:45:00Z"];
    for (const [i, at] of retries.entries()) {
      // The failed send's claim is leased for 30 real seconds; these fires come sooner in real time.
      await withAdmin((c) => c.query("update public.notification_deliveries set lease_until = now() - interval '1 second' where tenant_id = any($1) and status = 'claimed'", [[...ids]]));
      const again = await mine(at);
      expect(new Set(again.map((d) => `${d.tenantId}:${d.userId}`)), at).toEqual(failing);
      expect(again.every((d) => d.outcome === "failed")).toBe(true);
      if (i < retries.length - 1) expect(await mine(new Date(Date.parse(at) + 5 * 60_000).toISOString())).toEqual([]);
    }
    // Given up: skipped, with what the channel did; later fires leave it alone.
    expect(await rowOf(tenantId, userId, "2026-09-15")).toMatchObject({ status: "skipped", failures: 5, due_at: null, channels: { email: "failed" } });
    expect(await mine("2026-09-15T16:00:00Z")).toEqual([]);
    vi.useRealTimers();
    for (const t of tenants) await call("/v1/automation/templates/daily_digest/disable", { method: "POST", token: await t.owner.token() });
  });

  it("a digest deferred by quiet hours that end after midnight goes out when they end, for its own date", async () => {
    const t = await seedTenant();
    for (const u of staff(t)) {
      const quietHours = u === t.employee ? { start: "07:30", end: "00:30" } : null;
      const res = await call("/v1/me/notifications", { method: "PUT", token: await u.token(), body: { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours } });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    await enableDigest(t, "2026-08-01T00:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    const mine = async (at: string) => (await sweep(at)).filter((d) => d.tenantId === t.id && d.userId === t.employee.id);
    expect(await mine("2026-08-10T08:00:00Z")).toEqual([expect.objectContaining({ localDate: "2026-08-10", outcome: "deferred", until: "2026-08-11T00:30:00.000Z" })]);
    expect(await mine("2026-08-11T00:30:00Z")).toEqual([expect.objectContaining({ localDate: "2026-08-10", outcome: "sent" })]);
    expect(await rowOf(t.id, t.employee.id, "2026-08-10")).toMatchObject({ status: "sent" });
    vi.useRealTimers();
    await call("/v1/automation/templates/daily_digest/disable", { method: "POST", token: await t.owner.token() });
  });

  it("a digest every channel of which is over the daily message budget is recorded skipped, not sent", async () => {
    const t = await seedTenant();
    await enableDigest(t, "2026-07-01T00:00:00Z");
    await withAdmin((c) =>
      c.query("insert into public.outbound_message_budget (tenant_id, day, used) values ($1, (now() at time zone 'UTC')::date, $2)", [t.id, PLANS.free.automationLimits.dailyMessages]),
    );
    vi.useFakeTimers({ toFake: ["Date"] });
    const mine = (await sweep("2026-07-10T08:00:00Z")).filter((d) => d.tenantId === t.id);
    vi.useRealTimers();
    expect(mine).toHaveLength(5);
    for (const d of mine) {
      expect(d).toMatchObject({ outcome: "skipped", channels: { email: "skipped" } });
      expect(await rowOf(t.id, d.userId, "2026-07-10")).toMatchObject({ status: "skipped" });
    }
    await call("/v1/automation/templates/daily_digest/disable", { method: "POST", token: await t.owner.token() });
  });
});
