// Appointment reminders reach the assigned staff member through the channels they enabled, through
// the real Worker, QStash's signed deliveries and the outbound sink (the Resend and Telegram
// stand-in): exactly one message per (reminder, channel) however often and in whatever order the
// jobs arrive; a moved appointment's old reminders are no-ops and its new ones send.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { freshChatId, sinkMessages } from "../../support/sink.ts";
import { effects, markVerified, outboxRows, seedAppointment } from "./support.ts";

type JobReply = { result: { outcome: string; channels?: Record<string, string> } };

async function enableTelegram(t: SeededTenant, chatId: string) {
  await markVerified(t.id, t.employee.id, "telegram", chatId);
  const res = await call("/v1/me/notifications", {
    method: "PUT",
    token: await t.employee.token(),
    body: { channels: { email: true, telegram: true }, email: null, telegramChatId: chatId, quietHours: null },
  });
  expect(res.status).toBe(200);
}

async function run(job: string, payload: Record<string, unknown>, messageId: string) {
  const res = await deliver(job, payload, messageId);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<JobReply>(res)).result;
}

describe("appointment reminders through the channels", { timeout: 90_000 }, () => {
  it("every reminder delivered 3× and out of order sends exactly one email and one Telegram message per (reminder, channel)", async () => {
    const t = await seedTenant();
    const chatId = freshChatId();
    await enableTelegram(t, chatId);
    const { appointmentId } = await seedAppointment(t, 26 * 60);
    const queued = await outboxRows(t.id, "appointment-reminder");
    expect(queued.map((r) => r.payload.offsetMinutes)).toEqual([1440, 60]);
    const [day, hour] = queued as [(typeof queued)[0], (typeof queued)[0]];

    const order = [hour, day, hour, day, day, hour];
    const outcomes = [];
    for (const row of order) outcomes.push(await run("appointment-reminder", row.payload, `msg-${row.dedupe_id}`));
    expect(outcomes.map((o) => o.outcome)).toEqual(["delivered", "delivered", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(outcomes[0]!.channels).toEqual({ email: "sent", telegram: "sent" });
    expect(outcomes[2]!.channels).toEqual({ email: "duplicate", telegram: "duplicate" });

    const emails = await sinkMessages({ recipient: t.employee.email, channel: "email" });
    expect(emails).toHaveLength(2);
    expect(emails.map((m) => m.subject).sort()).toEqual(["Reminder: Check-up in 1 h", "Reminder: Check-up in 24 h"]);
    expect(emails.every((m) => m.idempotencyKey !== null)).toBe(true);
    expect(await sinkMessages({ recipient: chatId, channel: "telegram" })).toHaveLength(2);
    expect((await effects(t.id)).map((e) => [e.reminder_key.split(":")[2], e.channel, e.status])).toEqual([
      ["1440", "email", "sent"], ["1440", "telegram", "sent"], ["60", "email", "sent"], ["60", "telegram", "sent"],
    ]);
    expect(appointmentId).toBeTruthy();
  });

  it("concurrent deliveries of one reminder still send one email", async () => {
    const t = await seedTenant();
    await seedAppointment(t, 3 * 60);
    const [row] = await outboxRows(t.id, "appointment-reminder");
    const replies = await Promise.all([1, 2, 3].map(() => deliver("appointment-reminder", row!.payload, `msg-${row!.dedupe_id}`)));
    // One sends; the others find it sent, or still claimed (503: QStash retries them later).
    expect(replies.map((r) => r.status).filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    for (const r of replies) expect([200, 503]).toContain(r.status);
    for (let i = 0; i < 3; i++) await run("appointment-reminder", row!.payload, `msg-retry-${i}`);
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(1);
  });

  it("a retry after a crash between the send and its record re-sends with the same Idempotency-Key: still one email", async () => {
    const t = await seedTenant();
    await seedAppointment(t, 3 * 60);
    const [row] = await outboxRows(t.id, "appointment-reminder");
    await run("appointment-reminder", row!.payload, "msg-1");
    // As if the Worker died after Resend accepted the email and before marking it sent (and
    // before the reminder's own record), its claim's lease since run out.
    await withAdmin(async (c) => {
      await c.query("update public.notification_deliveries set status = 'claimed', sent_at = null, lease_until = now() - interval '1 second' where tenant_id = $1", [t.id]);
      await c.query("delete from public.reminder_deliveries where tenant_id = $1", [t.id]);
    });
    const again = await run("appointment-reminder", row!.payload, "msg-1");
    expect(again).toMatchObject({ outcome: "delivered", channels: { email: "sent" } });
    const emails = await sinkMessages({ recipient: t.employee.email });
    expect(emails).toHaveLength(1);
    expect((await effects(t.id))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("moving an appointment after its reminders were queued: the old ones are no-ops, the new ones send", async () => {
    const t = await seedTenant();
    const { eventId, startsAt } = await seedAppointment(t, 3 * 60);
    const [old] = await outboxRows(t.id, "appointment-reminder");
    expect(old!.payload.startsAt).toBe(startsAt);
    await withAdmin((c) => c.query("update public.calendar_events set starts_at = starts_at + interval '2 hours', ends_at = ends_at + interval '2 hours' where id = $1", [eventId]));
    const rows = await outboxRows(t.id, "appointment-reminder");
    const fresh = rows.find((r) => r.payload.startsAt !== startsAt)!;
    expect(fresh.payload.offsetMinutes).toBe(60);

    for (let i = 0; i < 3; i++) expect((await run("appointment-reminder", old!.payload, `old-${i}`)).outcome).toBe("stale");
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(0);
    for (let i = 0; i < 3; i++) await run("appointment-reminder", fresh.payload, `new-${i}`);
    const emails = await sinkMessages({ recipient: t.employee.email });
    expect(emails).toHaveLength(1);
    expect(emails[0]!.body).toContain(new Date(Date.parse(startsAt) + 2 * 3600_000).toISOString());

    // Cancelled: its reminder is a no-op too.
    await withAdmin((c) => c.query("update public.appointments set status = 'cancelled', cancelled_at = now() where event_id = $1", [eventId]));
    const late = await seedAppointment(t, 4 * 60);
    expect(late).toBeTruthy();
    expect((await run("appointment-reminder", fresh.payload, "new-after-cancel")).outcome).toBe("stale");
  });

  it("uses the business's reminder offsets (automation.manage), from the next appointment on", async () => {
    const t = await seedTenant();
    const put = await call("/v1/automation/settings", { method: "PUT", token: await t.owner.token(), body: { reminderOffsetsMinutes: [30, 120] } });
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({ reminderOffsetsMinutes: [120, 30] });
    await seedAppointment(t, 5 * 60);
    expect((await outboxRows(t.id, "appointment-reminder")).map((r) => r.payload.offsetMinutes)).toEqual([120, 30]);
    const got = await call("/v1/automation/settings", { token: await t.manager.token() });
    expect(await json(got)).toMatchObject({ reminderOffsetsMinutes: [120, 30] });
    // An employee may not change them; bad offsets are a 400 with the field path.
    expect((await call("/v1/automation/settings", { method: "PUT", token: await t.employee.token(), body: { reminderOffsetsMinutes: [10] } })).status).toBe(403);
    const bad = await call("/v1/automation/settings", { method: "PUT", token: await t.owner.token(), body: { reminderOffsetsMinutes: [1, 60, 60] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("body.reminderOffsetsMinutes");
    // [] turns appointment reminders off.
    expect((await call("/v1/automation/settings", { method: "PUT", token: await t.owner.token(), body: { reminderOffsetsMinutes: [] } })).status).toBe(200);
    await seedAppointment(t, 6 * 60);
    expect(await outboxRows(t.id, "appointment-reminder")).toHaveLength(2);
  });
});
