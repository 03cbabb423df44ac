// Appointment reminders end to end: the Worker over HTTP, its outbox drained by the outbox-drain
// QStash schedule, the reminder published with notBefore = start − 1 h, and delivered by the local
// QStash stand-in at that time, signed, to /hooks/qstash/appointment-reminder. Nothing here calls
// a handler directly; the effect is read from reminder_deliveries and from the outbound sink (the
// Resend stand-in the Worker's email channel sends to).
import { describe, expect, it } from "vitest";
import { useE2E, waitFor, type E2ETenant } from "../../support/e2e/index.ts";
import { sinkMessages } from "../../support/sink.ts";

const e2e = useE2E();

type Appointment = { id: string; start: string; end: string };
type Delivery = { starts_at: Date; message_id: string; delivered_at: Date };
type Outbox = { dedupe_id: string; message_id: string | null; not_before: Date };

const HOUR = 3600_000;

/** A start whose 1-hour reminder is due `leadMs` from now (whole seconds, as a client sends). */
function startWithReminderIn(leadMs: number): Date {
  return new Date(Math.ceil((Date.now() + HOUR + leadMs) / 1000) * 1000);
}

async function book(t: E2ETenant, start: Date): Promise<Appointment> {
  const body = { kind: "meeting", title: "Check-up", start: start.toISOString(), end: new Date(start.getTime() + 30 * 60_000).toISOString() };
  const res = await e2e.call("/v1/appointments", { method: "POST", body }, await t.employee.token());
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as Appointment;
}

/** The reminder emails the sink received for this person (the assigned staff member). */
const emails = (t: E2ETenant) => sinkMessages({ recipient: t.employee.email, channel: "email" });

const deliveries = (appointmentId: string) =>
  e2e.sql<Delivery>("select starts_at, message_id, delivered_at from public.reminder_deliveries where appointment_id = $1 and offset_minutes = 60", [appointmentId]);

/** The 1-hour reminder's outbox row for this start, once outbox-drain has published it to QStash. */
const published = (appointmentId: string, start: Date) =>
  waitFor(`outbox-drain to publish the reminder of ${appointmentId} at ${start.toISOString()}`, async () => {
    const [row] = await e2e.sql<Outbox>("select dedupe_id, message_id, not_before from public.job_outbox where dedupe_id = $1", [
      `reminder:${appointmentId}:60:${start.toISOString()}`,
    ]);
    return row?.message_id ? { ...row, message_id: row.message_id } : undefined;
  }, { timeoutMs: 15_000 });

// Each scenario has its own business and waits on its own clock: they run side by side.
// Waits are bounded by waitFor (clear messages); the test timeout only backs them up.
describe.concurrent("appointment reminders through QStash (e2e)", { timeout: 90_000 }, () => {
  it("the 1-hour reminder is delivered by QStash at its time and recorded once", async ({ expect }) => {
    // The drain runs from the production schedule (id, cron, destination), fired every 500 ms here.
    expect(e2e.qstash.schedules().map((s) => [s.scheduleId, s.cron, s.destination])).toEqual([
      ["outbox-drain", "* * * * *", `${e2e.url}/hooks/qstash/outbox-drain`],
    ]);
    const t = await e2e.seedTenant();
    const start = startWithReminderIn(5_000);
    const appointment = await book(t, start);
    const outbox = await published(appointment.id, start);
    expect(e2e.qstash.delivered(outbox.message_id)).toBe(false);

    const [row] = await waitFor("the reminder to be delivered", () => deliveries(appointment.id).then((r) => (r.length ? r : undefined)), { timeoutMs: 30_000 });
    expect(row!.starts_at.getTime()).toBe(start.getTime());
    expect(row!.message_id).toBe(outbox.message_id);
    // Delivered by the stand-in at notBefore (start − 1 h), not when it was published.
    expect(row!.delivered_at.getTime()).toBeGreaterThanOrEqual(start.getTime() - HOUR - 1000);
    // The row commits before the Worker answers: QStash records DELIVERED a moment later.
    await waitFor("QStash to record the delivery", () => e2e.qstash.delivered(outbox.message_id), { timeoutMs: 10_000 });
    expect(e2e.qstash.eventsOf(outbox.message_id).map((e) => e.state)).toEqual(["CREATED", "ACTIVE", "DELIVERED"]);
    // It reached the person: one email, keyed by its delivery record.
    const sent = await emails(t);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.idempotencyKey).toBeTruthy();
  });

  it("moving an appointment after its reminder was queued: the old reminder is a no-op, the new one fires", async ({ expect }) => {
    const t = await e2e.seedTenant();
    // A generous lead: the reminder must be published, and the move made, before it is due.
    const start = startWithReminderIn(12_000);
    const appointment = await book(t, start);
    const old = await published(appointment.id, start);
    // The move must land before the queued reminder is due, or this would test something else.
    expect(Date.now(), "the old reminder was published too late to move the appointment first").toBeLessThan(start.getTime() - HOUR - 1000);

    const moved = new Date(start.getTime() + 4_000);
    const res = await e2e.call(
      `/v1/appointments/${appointment.id}`,
      { method: "PATCH", body: { start: moved.toISOString(), end: new Date(moved.getTime() + 30 * 60_000).toISOString() } },
      await t.employee.token(),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const next = await published(appointment.id, moved);
    expect(next.message_id).not.toBe(old.message_id);

    await waitFor("QStash to deliver the old reminder", () => e2e.qstash.delivered(old.message_id), { timeoutMs: 30_000 });
    const [row] = await waitFor("the new reminder to be delivered", () => deliveries(appointment.id).then((r) => (r.length ? r : undefined)), { timeoutMs: 30_000 });
    expect(row).toMatchObject({ message_id: next.message_id, starts_at: moved });
    // The old delivery was accepted (2xx, no retry) and left no row.
    expect(e2e.qstash.eventsOf(old.message_id).map((e) => e.state)).toEqual(["CREATED", "ACTIVE", "DELIVERED"]);
    expect(await deliveries(appointment.id)).toHaveLength(1);
    // One email, for the new time; the stale reminder sent nothing.
    expect(await emails(t)).toHaveLength(1);
  });

  it("the same reminder delivered three times (distinct message ids, same body) has one effect", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const start = startWithReminderIn(5_000);
    const appointment = await book(t, start);
    const outbox = await published(appointment.id, start);
    // Two more copies of the queued message, through the official client, due at the same time.
    const queued = await e2e.qstash.client.messages.get(outbox.message_id);
    const copies = await Promise.all(
      [1, 2].map(() =>
        e2e.qstash.client.publish({ url: queued.url, body: queued.body, headers: { "content-type": "application/json" }, notBefore: Math.floor(queued.notBefore! / 1000) }),
      ),
    );
    const ids = [outbox.message_id, ...copies.map((c) => c.messageId)];
    expect(new Set(ids).size).toBe(3);

    await waitFor("QStash to deliver all three copies", () => ids.every((id) => e2e.qstash.delivered(id)), { timeoutMs: 30_000 });
    const rows = await deliveries(appointment.id);
    expect(rows).toHaveLength(1);
    expect(ids).toContain(rows[0]!.message_id);
    expect(e2e.qstash.deadLetters()).toEqual([]);
    // Three deliveries, one message in the sink.
    expect(await emails(t)).toHaveLength(1);
  });
});
