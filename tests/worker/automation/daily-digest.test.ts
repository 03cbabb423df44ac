// The daily digest (built-in template daily_digest): every active staff member gets one digest
// per local date at 08:00 in their own time zone, across DST changes, exactly once however often
// and in whatever order QStash delivers the sweep; quiet hours covering 08:00 defer it to their end.
//
// The sweep reads its clock from the Worker (`new Date()` in the QStash hook), never from the
// payload. Requests through `exports.default` run in this test's isolate, so faking Date here
// (vi.setSystemTime) is the Worker's clock too: the test drives the `digest-sweep` job, signed as
// QStash signs it, every 15 minutes from 2026-10-24 to 2026-11-02 — Berlin leaves summer time on
// 2026-10-25, Los Angeles on 2026-11-01 — and delivers each deferral the job queues (job_outbox,
// as the drain would publish it) at its notBefore.
import { afterEach, describe, expect, it, vi } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant, type SeededUser } from "../../support/seed.ts";
import { sinkMessages } from "../../support/sink.ts";

type Digest = { userId: string; tenantId: string; localDate: string; outcome: string; until?: string };
type Reply = { result: { at: string; digests: Digest[] } };

const FIRST = Date.parse("2026-10-24T00:00:00Z");
const LAST = Date.parse("2026-11-02T23:45:00Z");
const DATES = Array.from({ length: 10 }, (_, i) => new Date(Date.parse("2026-10-24T12:00:00Z") + i * 86_400_000).toISOString().slice(0, 10));

const localClock = (at: Date | string, tz: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(at));

async function sweep(at: number): Promise<Digest[]> {
  vi.setSystemTime(at);
  const res = await deliver("digest-sweep", {});
  expect(res.status, await res.clone().text()).toBe(200);
  const reply = await json<Reply>(res);
  expect(reply.result.at).toBe(new Date(at).toISOString());
  return reply.result.digests;
}

async function settings(u: SeededUser, timezone: string, quietHours: { start: string; end: string } | null = null) {
  expect((await call("/v1/me/settings", { method: "PATCH", token: await u.token(), body: { timezone } })).status).toBe(200);
  const res = await call("/v1/me/notifications", { method: "PUT", token: await u.token(), body: { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours } });
  expect(res.status, await res.clone().text()).toBe(200);
}

/**
 * Turns the template on through the API, then dates that back (by default to 2026-10-23 20:00Z:
 * after Los Angeles' 08:00 that day, so the first digests are each zone's 2026-10-24).
 */
async function enableDigest(t: SeededTenant, since = "2026-10-23T20:00:00Z") {
  const res = await call("/v1/automation/templates/daily_digest/enable", { method: "POST", token: await t.owner.token() });
  expect(res.status, await res.clone().text()).toBe(200);
  await withAdmin((c) => c.query("update public.automation_templates set enabled_at = $2 where tenant_id = $1 and template_key = 'daily_digest'", [t.id, since]));
}

/** The deferred sweep the job queued (job_outbox) for `until`, taken as the drain takes it; its notBefore. */
async function takeDeferral(t: SeededTenant, until: string): Promise<number[]> {
  const { rows } = await withAdmin((c) =>
    c.query<{ not_before: Date }>(
      `update public.job_outbox set published_at = now(), message_id = 'test'
       where tenant_id = $1 and job = 'digest-sweep' and published_at is null and not_before = $2 returning not_before`,
      [t.id, until],
    ),
  );
  return rows.map((r) => r.not_before.getTime());
}

const digestsOf = async (t: SeededTenant) =>
  (
    await withAdmin((c) =>
      c.query<{ user_id: string; local_date: string; time_zone: string; status: string; sent_at: Date | null; due_at: Date | null }>(
        "select user_id, local_date::text, time_zone, status, sent_at, due_at from public.daily_digests where tenant_id = $1 and local_date between '2026-10-24' and '2026-11-02' order by user_id, local_date",
        [t.id],
      ),
    )
  ).rows;

afterEach(() => {
  vi.useRealTimers();
});

describe("daily digest", { timeout: 900_000 }, () => {
  it("one digest per member and local date at 08:00 in their own time zone, across DST, redelivered and out of order; quiet hours defer it", async () => {
    const t = await seedTenant();
    const berlin = t.employee;
    const la = t.colleague;
    const quiet = t.manager;
    await settings(berlin, "Europe/Berlin");
    await settings(la, "America/Los_Angeles");
    // Quiet hours 06:30–09:10 cover 08:00: the digest goes out at 09:10 Berlin time.
    await settings(quiet, "Europe/Berlin", { start: "06:30", end: "09:10" });
    for (const u of [t.owner, t.admin]) await settings(u, "UTC");
    await enableDigest(t);
    const zone: Record<string, string> = { [berlin.id]: "Europe/Berlin", [la.id]: "America/Los_Angeles", [quiet.id]: "Europe/Berlin", [t.owner.id]: "UTC", [t.admin.id]: "UTC" };

    vi.useFakeTimers({ toFake: ["Date"] });
    const sentAt: Digest[] = [];
    const deferred: Digest[] = [];
    let pending = new Set<string>();
    try {
      for (let at = FIRST; at <= LAST; at += 15 * 60_000) {
        // Deferred sweeps due before this fire are delivered at their notBefore, as QStash would
        // publish them from the outbox (each row read back from job_outbox).
        for (const until of [...pending].filter((u) => Date.parse(u) <= at).sort()) {
          pending.delete(until);
          for (const due of await takeDeferral(t, until)) sentAt.push(...(await sweep(due)).filter((d) => d.tenantId === t.id && d.outcome === "sent"));
        }
        const mine = (await sweep(at)).filter((d) => d.tenantId === t.id);
        deferred.push(...mine.filter((d) => d.outcome === "deferred"));
        pending = new Set([...pending, ...mine.filter((d) => d.outcome === "deferred").map((d) => d.until!)]);
        const sent = mine.filter((d) => d.outcome === "sent");
        sentAt.push(...sent);
        if (sent.length > 0) {
          // QStash delivers this fire twice more, and earlier fires again after it (out of order): nothing new.
          for (const again of [at, at, at - 15 * 60_000, at - 30 * 60_000, at]) {
            expect((await sweep(again)).filter((d) => d.tenantId === t.id && d.outcome === "sent")).toEqual([]);
          }
        }
      }
    } finally {
      vi.useRealTimers();
    }

    // Ten local dates each; every digest at 08:00 local (the quiet member's at 09:10), in the right instant across DST.
    const rows = await digestsOf(t);
    for (const u of [berlin, la, quiet, t.owner, t.admin]) {
      const own = rows.filter((r) => r.user_id === u.id);
      expect(own.map((r) => r.local_date), u.role).toEqual(DATES);
      for (const r of own) {
        expect(r.status).toBe("sent");
        expect(r.time_zone).toBe(zone[u.id]);
        expect(localClock(r.sent_at!, zone[u.id]!), `${u.role} ${r.local_date}`).toBe(u === quiet ? "09:10" : "08:00");
      }
    }
    const at = (u: SeededUser, date: string) => rows.find((r) => r.user_id === u.id && r.local_date === date)!.sent_at!.toISOString();
    expect(at(berlin, "2026-10-24")).toBe("2026-10-24T06:00:00.000Z"); // CEST, UTC+2
    expect(at(berlin, "2026-10-25")).toBe("2026-10-25T07:00:00.000Z"); // CET, UTC+1 from 01:00Z that day
    expect(at(la, "2026-10-31")).toBe("2026-10-31T15:00:00.000Z"); // PDT, UTC−7
    expect(at(la, "2026-11-01")).toBe("2026-11-01T16:00:00.000Z"); // PST, UTC−8 from 09:00Z that day
    expect(at(quiet, "2026-10-25")).toBe("2026-10-25T08:10:00.000Z");

    // Quiet hours: each day's 08:00 fire deferred the quiet member's digest to 09:10, once per day.
    const quietDeferrals = deferred.filter((d) => d.userId === quiet.id);
    expect(new Set(quietDeferrals.map((d) => d.localDate))).toEqual(new Set(DATES));
    for (const d of quietDeferrals) expect(localClock(d.until!, "Europe/Berlin")).toBe("09:10");
    expect(sentAt.filter((d) => d.userId === quiet.id)).toHaveLength(10);

    // The sink: exactly one email per member and local date, keyed digest:{user}:{local_date}.
    const effects = (
      await withAdmin((c) =>
        c.query<{ id: string; reminder_key: string; user_id: string; status: string }>(
          "select id, reminder_key, user_id, status from public.notification_deliveries where tenant_id = $1 and reminder_key like 'digest:%'",
          [t.id],
        ),
      )
    ).rows.filter((e) => DATES.some((d) => e.reminder_key.endsWith(`:${d}`)));
    for (const u of [berlin, la, quiet]) {
      const keys = effects.filter((e) => e.user_id === u.id).map((e) => e.reminder_key).sort();
      expect(keys).toEqual(DATES.map((d) => `digest:${u.id}:${d}`));
      const messages = (await sinkMessages({ recipient: u.email })).filter((m) => DATES.some((d) => m.subject?.includes(d)));
      expect(messages.map((m) => m.subject!.match(/\d{4}-\d{2}-\d{2}/)![0]).sort()).toEqual(DATES);
      // One message per effect row: the row's id is the provider's idempotency key.
      expect(new Set(messages.map((m) => m.idempotencyKey))).toEqual(new Set(effects.filter((e) => e.user_id === u.id).map((e) => e.id)));
      for (const m of messages) expect(m.body).toContain(`as of ${u === quiet ? "09:10" : "08:00"} ${zone[u.id]}`);
    }

    // Done: later (real-time) sweeps leave this business alone.
    await call("/v1/automation/templates/daily_digest/disable", { method: "POST", token: await t.owner.token() });
  });

  it("computes the local date from the clock, never from the payload; off means no digest", async () => {
    const t = await seedTenant();
    await settings(t.employee, "Asia/Tokyo");
    await enableDigest(t);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // 07:59 in Tokyo: not yet, whatever the payload claims.
      vi.setSystemTime(Date.parse("2026-10-27T22:59:00Z"));
      const early = await json<Reply>(await deliver("digest-sweep", { localDate: "2026-10-28", userId: t.employee.id, now: "2026-10-28T00:00:00Z" }));
      expect(early.result.digests.filter((d) => d.userId === t.employee.id)).toEqual([]);
      const due = (await sweep(Date.parse("2026-10-27T23:00:00Z"))).filter((d) => d.userId === t.employee.id);
      expect(due).toEqual([expect.objectContaining({ localDate: "2026-10-28", outcome: "sent" })]);
      // Turned off: the next local date's 08:00 brings nothing.
      vi.useRealTimers();
      expect((await call("/v1/automation/templates/daily_digest/disable", { method: "POST", token: await t.owner.token() })).status).toBe(200);
      vi.useFakeTimers({ toFake: ["Date"] });
      expect((await sweep(Date.parse("2026-10-28T23:00:00Z"))).filter((d) => d.tenantId === t.id)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
    const rows = await digestsOf(t);
    expect(rows.filter((r) => r.user_id === t.employee.id).map((r) => r.local_date)).toEqual(["2026-10-28"]);
  });
});
