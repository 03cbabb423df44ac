// Appointments for dashboard and portal tests, made the way production makes them: a meeting in
// calendar_events, which the sync trigger turns into an appointment. Written with the harness's
// owner connection, so these tests do not depend on the calendar routes.
import { withAdmin } from "../../support/db.ts";
import type { SeededTenant, SeededUser } from "../../support/seed.ts";

export interface AppointmentSeed {
  owner: SeededUser;
  title: string;
  startsAt: Date;
  minutes?: number;
  customerId?: string;
  attendees?: SeededUser[];
  cancelled?: boolean;
}

export async function seedAppointment(t: SeededTenant, a: AppointmentSeed): Promise<{ eventId: string; appointmentId: string }> {
  const eventId = crypto.randomUUID();
  const endsAt = new Date(a.startsAt.getTime() + (a.minutes ?? 30) * 60_000);
  return withAdmin(async (c) => {
    await c.query("begin");
    await c.query(
      `insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id) values ($1, $2, 'meeting', $3, $4, $5, $6)`,
      [eventId, t.id, a.title, a.startsAt.toISOString(), endsAt.toISOString(), a.owner.id],
    );
    for (const attendee of a.attendees ?? []) {
      await c.query("insert into public.calendar_event_attendees (tenant_id, event_id, user_id) values ($1, $2, $3)", [t.id, eventId, attendee.id]);
    }
    if (a.cancelled) await c.query("update public.calendar_events set cancelled_at = now() where id = $1", [eventId]);
    const row = await c.query<{ id: string }>(
      "update public.appointments set customer_id = $3 where tenant_id = $1 and event_id = $2 returning id",
      [t.id, eventId, a.customerId ?? null],
    );
    await c.query("commit");
    return { eventId, appointmentId: row.rows[0]!.id };
  });
}

/** Instants of the local midnight starting today and the next one, as Postgres computes them. */
export async function localDay(timezone: string): Promise<{ start: Date; end: Date; date: string }> {
  const { rows } = await withAdmin((c) =>
    c.query<{ start: Date; end: Date; date: string }>(
      `select date_trunc('day', now() at time zone $1) at time zone $1 as start,
              (date_trunc('day', now() at time zone $1) + interval '1 day') at time zone $1 as end,
              (now() at time zone $1)::date::text as date`,
      [timezone],
    ),
  );
  return rows[0]!;
}
