// Fixtures for the automation tests: an appointment of the tenant's employee (through the calendar,
// so the real triggers queue its reminders), and the outbox rows those triggers wrote.
import { withAdmin } from "../../support/db.ts";
import type { SeededTenant } from "../../support/seed.ts";

export async function seedAppointment(t: SeededTenant, startsInMinutes: number) {
  const eventId = crypto.randomUUID();
  const startsAt = new Date(Date.now() + startsInMinutes * 60_000);
  startsAt.setUTCSeconds(0, 0);
  await withAdmin((c) =>
    c.query(
      `insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id)
       values ($1, $2, 'meeting', 'Check-up', $3, $3::timestamptz + interval '30 minutes', $4)`,
      [eventId, t.id, startsAt.toISOString(), t.employee.id],
    ),
  );
  const appointmentId = (await withAdmin((c) => c.query("select id from public.appointments where event_id = $1", [eventId]))).rows[0]!.id as string;
  return { eventId, appointmentId, startsAt: startsAt.toISOString() };
}

export type OutboxRow = { dedupe_id: string; job: string; payload: Record<string, unknown>; not_before: Date };

export async function outboxRows(tenantId: string, job: string): Promise<OutboxRow[]> {
  const { rows } = await withAdmin((c) =>
    c.query<OutboxRow>("select dedupe_id, job, payload, not_before from public.job_outbox where tenant_id = $1 and job = $2 order by not_before, dedupe_id", [tenantId, job]),
  );
  return rows;
}

export async function effects(tenantId: string) {
  const { rows } = await withAdmin((c) =>
    c.query<{ reminder_key: string; channel: string; status: string; reason: string | null; attempts: number }>(
      "select reminder_key, channel, status, reason, attempts from public.notification_deliveries where tenant_id = $1 order by reminder_key, channel",
      [tenantId],
    ),
  );
  return rows;
}

/** HH:MM in UTC, `minutes` from now. */
export const utcClock = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);

/**
 * Marks a custom address verified, as if its member had sent back the code (the real flow is in
 * tests/worker/automation/destinations.test.ts): tests about delivery, not verification, save it
 * after this and no verification message is sent.
 */
export async function markVerified(tenantId: string, userId: string, channel: "email" | "telegram", address: string): Promise<void> {
  await withAdmin((c) =>
    c.query(
      "insert into public.notification_destinations (tenant_id, user_id, channel, address, status, verified_at) values ($1, $2, $3, $4, 'verified', now())",
      [tenantId, userId, channel, address],
    ),
  );
}
