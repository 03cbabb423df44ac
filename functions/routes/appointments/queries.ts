// SQL for appointments. RLS decides who sees and changes which (own, attended, all with
// appointments.read_all; changes by owner, attendee or appointments.manage). An appointment is
// the business side of a meeting or call event: it is created and kept in step by the event's
// sync trigger, so title and times are written to the event and customer and status here.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { EVENT_SET, insertEvent, setAttendees, type WriteOutcome } from "../calendar/queries.ts";
import type { Appointment, AppointmentCreate, AppointmentPatch } from "./schema.ts";

type AppointmentRow = z.infer<typeof Appointment>;

const COLUMNS = `a.id, a.event_id as "eventId", a.kind, a.title, a.status, a.starts_at as start, a.ends_at as "end",
    a.owner_employee_id as "ownerId", a.customer_id as "customerId",
    array(select at.user_id from public.calendar_event_attendees at
          where at.tenant_id = a.tenant_id and at.event_id = a.event_id order by at.user_id) as attendees,
    e.notes, e.location, a.cancelled_at as "cancelledAt", a.created_at as "createdAt", a.updated_at as "updatedAt"`;
const FROM = `from public.appointments a
  left join public.calendar_events e on e.tenant_id = a.tenant_id and e.id = a.event_id`;
const APPOINTMENT = `select ${COLUMNS} ${FROM}`;

export function listAppointments(
  q: Queue,
  p: { from?: string; to?: string; status?: string; limit: number; after: unknown[] | null },
) {
  // Appointments last at most 14 days (their events do), so "ends after from" is also a lower
  // bound on starts_at that the (tenant_id, starts_at, id) index can use.
  return q.rows<AppointmentRow & { _cursor: unknown[] }>(
    `select ${COLUMNS}, json_build_array(a.starts_at::text, a.id) as "_cursor" ${FROM}
     where ($1::timestamptz is null or (a.ends_at > $1 and a.starts_at > $1::timestamptz - interval '14 days'))
       and ($2::timestamptz is null or a.starts_at < $2)
       and ($3::public.appointment_status is null or a.status = $3)
       and ($4::timestamptz is null or (a.starts_at, a.id) > ($4, $5::uuid))
     order by a.starts_at, a.id
     limit $6`,
    [p.from ?? null, p.to ?? null, p.status ?? null, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

export function selectAppointment(q: Queue, id: string) {
  return q.one<AppointmentRow>(`${APPOINTMENT} where a.id = $1`, [id]);
}

/**
 * One flight: the caller's meeting or call event (the trigger creates its appointment), its
 * attendees, the customer link (a composite FK: only a customer of this business, else 404),
 * then the appointment as created.
 */
export function createAppointment(q: Queue, eventId: string, input: z.infer<typeof AppointmentCreate>) {
  const { customerId, attendeeIds, ...fields } = input;
  const writes = [insertEvent(q, eventId, fields)];
  if (attendeeIds?.length) writes.push(setAttendees(q, eventId, attendeeIds));
  if (customerId) writes.push(q.rows(`update public.appointments a set customer_id = $2 where a.event_id = $1`, [eventId, customerId]));
  const appointment = q.one<AppointmentRow>(`${APPOINTMENT} where a.event_id = $1`, [eventId]);
  return Promise.all([appointment, ...writes]).then(([a]) => a);
}

/**
 * One flight: the state before, the event fields (title, times, kind, notes, location) on the
 * event, customer and status on the appointment, then the result. The event and appointment
 * update policies admit the same people, so either both writes happen or neither does. A
 * cancelled appointment is final.
 */
export function updateAppointment(q: Queue, id: string, patch: z.infer<typeof AppointmentPatch>) {
  const { customerId, status, ...eventFields } = patch;
  const ownFields = { ...(customerId !== undefined ? { customerId } : {}), ...(status !== undefined ? { status } : {}) };
  const before = q.one<{ status: string }>(`select a.status from public.appointments a where a.id = $1`, [id]);
  const writes: Promise<unknown>[] = [];
  if (Object.keys(eventFields).length > 0) {
    writes.push(
      q.rows(
        `update public.calendar_events e set ${EVENT_SET}
         from public.appointments a
         where a.id = $1 and a.status <> 'cancelled' and e.tenant_id = a.tenant_id and e.id = a.event_id and e.cancelled_at is null
         returning e.id`,
        [id, JSON.stringify(eventFields)],
      ),
    );
  }
  if (Object.keys(ownFields).length > 0) {
    writes.push(
      q.rows(
        `update public.appointments a set
           customer_id = case when $2::jsonb ? 'customerId' then ($2::jsonb ->> 'customerId')::uuid else a.customer_id end,
           status = coalesce(($2::jsonb ->> 'status')::public.appointment_status, a.status)
         where a.id = $1 and a.status <> 'cancelled'
         returning a.id`,
        [id, JSON.stringify(ownFields)],
      ),
    );
  }
  const appointment = selectAppointment(q, id);
  return Promise.all([before, appointment, ...writes]).then(([b, a, ...results]): { outcome: WriteOutcome; appointment: AppointmentRow | undefined } => ({
    outcome: {
      visible: b !== undefined,
      cancelled: b?.status === "cancelled",
      written: (results as unknown[][]).every((rows) => rows.length > 0),
    },
    appointment: a,
  }));
}

/** Keeps the row with status cancelled; the trigger cancels the event. Cancelling again is a no-op. */
export function cancelAppointment(q: Queue, id: string) {
  const outcome = q.one<WriteOutcome>(
    `with target as (select a.id, a.status from public.appointments a where a.id = $1),
     cancelled as (
       update public.appointments a set status = 'cancelled'
       where a.id = $1 and a.status <> 'cancelled'
       returning a.id
     )
     select exists (select 1 from target) as visible,
            coalesce((select status = 'cancelled' from target), false) as cancelled,
            exists (select 1 from cancelled) as written`,
    [id],
  );
  const appointment = selectAppointment(q, id);
  return Promise.all([outcome, appointment]).then(([o, a]) => ({ outcome: o!, appointment: a }));
}
