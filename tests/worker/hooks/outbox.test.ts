// Reminders travel through the outbox: an appointment's reminders are written with it (same
// transaction, deterministic dedupe ids) and the drain job publishes them to QStash.
import { Client } from "@upstash/qstash";
import { describe, expect, inject, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant } from "../../support/seed.ts";

const outbox = async (appointmentId: string) =>
  (await withAdmin((c) => c.query(
    "select dedupe_id, not_before, published_at, message_id from public.job_outbox where payload ->> 'appointmentId' = $1 order by not_before",
    [appointmentId],
  ))).rows;

async function bookIn(hours: number) {
  const t = await seedTenant();
  const eventId = crypto.randomUUID();
  const startsAt = new Date(Date.now() + hours * 3600_000);
  startsAt.setUTCSeconds(0, 0);
  await withAdmin((c) =>
    c.query(
      `insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id)
       values ($1, $2, 'call', 'Follow-up', $3, $3::timestamptz + interval '30 minutes', $4)`,
      [eventId, t.id, startsAt.toISOString(), t.employee.id],
    ),
  );
  const appointmentId = (await withAdmin((c) => c.query("select id from public.appointments where event_id = $1", [eventId]))).rows[0]!.id as string;
  return { t, eventId, appointmentId, startsAt };
}

describe("reminder outbox", () => {
  it("writes the 24 h and 1 h reminders with the appointment, with deterministic dedupe ids", async () => {
    const { appointmentId, startsAt } = await bookIn(48);
    const rows = await outbox(appointmentId);
    expect(rows.map((r) => r.dedupe_id)).toEqual([
      `reminder:${appointmentId}:1440:${startsAt.toISOString()}`,
      `reminder:${appointmentId}:60:${startsAt.toISOString()}`,
    ]);
    expect(rows.map((r) => new Date(r.not_before).getTime())).toEqual([startsAt.getTime() - 1440 * 60_000, startsAt.getTime() - 60 * 60_000]);
  });

  it("skips reminders already in the past, and a moved appointment gets reminders for its new start", async () => {
    const { eventId, appointmentId, startsAt } = await bookIn(3);
    expect((await outbox(appointmentId)).map((r) => r.dedupe_id)).toEqual([`reminder:${appointmentId}:60:${startsAt.toISOString()}`]);
    await withAdmin((c) => c.query("update public.calendar_events set starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day' where id = $1", [eventId]));
    const moved = new Date(startsAt.getTime() + 24 * 3600_000).toISOString();
    expect((await outbox(appointmentId)).map((r) => r.dedupe_id)).toEqual([
      `reminder:${appointmentId}:60:${startsAt.toISOString()}`,
      `reminder:${appointmentId}:1440:${moved}`,
      `reminder:${appointmentId}:60:${moved}`,
    ]);
  });

  it("the drain publishes due rows to QStash once, with their dedupe ids, and marks them", async () => {
    const { appointmentId } = await bookIn(30);
    // Other tests leave due rows too (webhook tries, workflow steps): drain in batches until ours
    // are out, as the minutely schedule would.
    let rows = await outbox(appointmentId);
    for (let i = 0; i < 20 && !rows.every((r) => r.published_at !== null); i++) {
      const drained = await json<{ result: { published: number } }>(await deliver("outbox-drain"));
      expect(drained.result.published).toBeGreaterThan(0);
      rows = await outbox(appointmentId);
    }
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.published_at !== null && typeof r.message_id === "string")).toBe(true);

    const qstash = new Client({ baseUrl: inject("workerBindings").QSTASH_URL!, token: inject("workerBindings").QSTASH_TOKEN! });
    const message = await qstash.messages.get(rows[0]!.message_id);
    expect(message.url).toBe(`https://api.aioffice.test/hooks/qstash/appointment-reminder`);
    expect(JSON.parse(message.body ?? "{}")).toMatchObject({ appointmentId, offsetMinutes: 1440 });
    expect(message.notBefore).toBeGreaterThan(Date.now());

    await deliver("outbox-drain");
    const again = await outbox(appointmentId);
    expect(again.map((r) => r.message_id)).toEqual(rows.map((r) => r.message_id));
  });
});
