// Quiet hours, read in the member's own time zone: a reminder that falls in them waits until they
// end when that is still before the appointment (a new outbox row, due then), and is otherwise
// skipped and recorded. Nothing reaches the sink either way.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { sinkMessages } from "../../support/sink.ts";
import { effects, outboxRows, seedAppointment } from "./support.ts";

/** HH:MM in `tz`, `minutes` from now. */
const clock = (tz: string, minutes: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(Date.now() + minutes * 60_000));

async function quietAroundNow(t: SeededTenant, tz: string, endsInMinutes: number) {
  expect((await call("/v1/me/settings", { method: "PATCH", token: await t.employee.token(), body: { timezone: tz } })).status).toBe(200);
  const res = await call("/v1/me/notifications", {
    method: "PUT",
    token: await t.employee.token(),
    body: { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours: { start: clock(tz, -60), end: clock(tz, endsInMinutes) } },
  });
  expect(res.status).toBe(200);
  return json<{ quietHours: { start: string; end: string }; timezone: string }>(res);
}

type JobReply = { result: { outcome: string; until?: string; channels?: Record<string, string> } };

describe("quiet hours", { timeout: 60_000 }, () => {
  it("defer a reminder to their end (in the member's time zone) when that is still before the appointment", async () => {
    const t = await seedTenant();
    const saved = await quietAroundNow(t, "America/Los_Angeles", 90);
    expect(saved.timezone).toBe("America/Los_Angeles");
    await seedAppointment(t, 4 * 60);
    const [row] = await outboxRows(t.id, "appointment-reminder");
    const reply = await json<JobReply>(await deliver("appointment-reminder", row!.payload));
    expect(reply.result.outcome).toBe("deferred");
    const until = Date.parse(reply.result.until!);
    // The end of the quiet hours: 90 minutes from now, to the minute.
    expect(Math.abs(until - (Date.now() + 90 * 60_000))).toBeLessThan(2 * 60_000);
    const deferred = (await outboxRows(t.id, "appointment-reminder")).filter((r) => r.dedupe_id.includes(":after-quiet:"));
    expect(deferred).toHaveLength(1);
    expect(deferred[0]!.not_before.getTime()).toBe(until);
    expect(deferred[0]!.payload).toEqual(row!.payload);
    // Delivered again during the quiet hours (a QStash retry): still one deferral, nothing sent.
    expect((await json<JobReply>(await deliver("appointment-reminder", row!.payload))).result.outcome).toBe("deferred");
    expect((await outboxRows(t.id, "appointment-reminder")).filter((r) => r.dedupe_id.includes(":after-quiet:"))).toHaveLength(1);
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(0);
    expect(await effects(t.id)).toEqual([]);

    // Once the quiet hours are over (here: the member clears them), the deferred run sends, once.
    await call("/v1/me/notifications", { method: "PUT", token: await t.employee.token(), body: { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours: null } });
    for (let i = 0; i < 3; i++) await deliver("appointment-reminder", deferred[0]!.payload);
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(1);
  });

  it("skip (and record) a reminder whose quiet hours end only after the appointment", async () => {
    const t = await seedTenant();
    await quietAroundNow(t, "Europe/Berlin", 120);
    const { appointmentId, startsAt } = await seedAppointment(t, 60);
    const payload = { tenantId: t.id, appointmentId, offsetMinutes: 30, startsAt };
    const reply = await json<JobReply>(await deliver("appointment-reminder", payload));
    expect(reply.result).toMatchObject({ outcome: "delivered", channels: { email: "skipped" } });
    expect(await effects(t.id)).toEqual([expect.objectContaining({ channel: "email", status: "skipped", reason: "quiet_hours" })]);
    expect((await json<JobReply>(await deliver("appointment-reminder", payload))).result.outcome).toBe("duplicate");
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(0);
    const deferred = await withAdmin((c) => c.query("select 1 from public.job_outbox where tenant_id = $1 and dedupe_id like '%:after-quiet:%'", [t.id]));
    expect(deferred.rowCount).toBe(0);
  });
});
