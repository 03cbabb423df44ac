// SQL for the calendar. RLS decides everything: private.calendar_busy() yields the id and times
// of every live event in the tenant; the details come from public.calendar_events, which RLS
// filters to the events the caller owns, attends or may read all of. Redaction is therefore a
// LEFT JOIN that finds nothing: hidden details never leave Postgres. Times leave as UTC ISO
// strings and as wall time in the caller's zone, both formatted here (one statement each).
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { CalendarEventDetail, EventCreate, EventKind, EventPatch } from "./schema.ts";

/** The caller's time zone (user settings; UTC by default). Validated IANA by a table check. */
export const CALLER_TZ = `coalesce((select s.timezone from public.user_settings s where s.user_id = (select private.current_user_id())), 'UTC')`;
/** Same format as every other timestamp of the API (Date#toISOString). */
export const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const wallTime = (col: string, tz: string) => `to_char(${col} at time zone ${tz}, 'YYYY-MM-DD"T"HH24:MI:SS')`;

/** Attendee user ids of event `e` (RLS: visible with the event's details). */
const ATTENDEES = `array(select a.user_id from public.calendar_event_attendees a
  where a.tenant_id = e.tenant_id and a.event_id = e.id order by a.user_id)`;
/** The event's live appointment (visible whenever the event's details are). */
const APPOINTMENT_ID = `(select ap.id from public.appointments ap
  where ap.tenant_id = e.tenant_id and ap.event_id = e.id and ap.status <> 'cancelled')`;

export interface CalendarRow {
  timezone: string;
  id: string | null;
  start: string;
  end: string;
  localStart: string;
  localEnd: string;
  busy: boolean;
  kind: z.infer<typeof EventKind> | null;
  title: string | null;
  notes: string | null;
  location: string | null;
  guests: { email: string; name?: string }[] | null;
  ownerId: string | null;
  attendees: string[] | null;
  appointmentId: string | null;
  _cursor: unknown[];
}

/**
 * One statement: the caller's zone joined to a page of the range. The one-row `me` side keeps
 * the zone in the answer when the range is empty (then the only row has id null). The range
 * conditions repeated on `e` are for the planner: both sides become range scans of
 * calendar_events_tenant_starts_idx instead of a join against the whole tenant.
 */
export function listCalendar(q: Queue, p: { from: string; to: string; limit: number; after: unknown[] | null }) {
  return q.rows<CalendarRow>(
    `with me as materialized (select ${CALLER_TZ} as tz)
     select me.tz as timezone, x.id, ${iso("x.starts_at")} as start, ${iso("x.ends_at")} as "end",
       ${wallTime("x.starts_at", "me.tz")} as "localStart", ${wallTime("x.ends_at", "me.tz")} as "localEnd",
       x.busy, x.kind, x.title, x.notes, x.location, x.guests, x."ownerId", x.attendees, x."appointmentId", x."_cursor"
     from me left join (
       select b.id, b.starts_at, b.ends_at, e.id is null as busy,
         e.kind, e.title, e.notes, e.location, e.guests, e.owner_id as "ownerId",
         case when e.id is not null then ${ATTENDEES} end as attendees,
         ${APPOINTMENT_ID} as "appointmentId",
         json_build_array(b.starts_at::text, b.id) as "_cursor"
       from private.calendar_busy($1, $2) b
       left join public.calendar_events e on e.id = b.id
         and e.cancelled_at is null and e.starts_at < $2 and e.starts_at > $1::timestamptz - interval '14 days'
       where $3::timestamptz is null or (b.starts_at, b.id) > ($3, $4::uuid)
       order by b.starts_at, b.id
       limit $5
     ) x on true
     order by x.starts_at, x.id`,
    [p.from, p.to, p.after?.[0] ?? null, p.after?.[1] ?? null, p.limit + 1],
  );
}

type EventDetailRow = z.infer<typeof CalendarEventDetail>;

const EVENT_DETAIL = `select e.id, e.kind, e.title, e.notes, e.location, e.guests, e.owner_id as "ownerId", ${ATTENDEES} as attendees,
    ${iso("e.starts_at")} as start, ${iso("e.ends_at")} as "end",
    ${wallTime("e.starts_at", "me.tz")} as "localStart", ${wallTime("e.ends_at", "me.tz")} as "localEnd",
    ${APPOINTMENT_ID} as "appointmentId", me.tz as timezone,
    e.cancelled_at as "cancelledAt", e.created_at as "createdAt", e.updated_at as "updatedAt"
  from (select ${CALLER_TZ} as tz) me, public.calendar_events e`;

/** The event with its details, or nothing when RLS hides them (another tenant, or busy-only). */
export function selectEvent(q: Queue, id: string) {
  return q.one<EventDetailRow>(`${EVENT_DETAIL} where e.id = $1`, [id]);
}

/** Raises not_found / forbidden (the owner only) in SQL, so the request rolls back. */
export function setAttendees(q: Queue, eventId: string, userIds: string[]) {
  return q.rows(`select private.set_event_attendees($1, $2::uuid[])`, [eventId, userIds]);
}

/** Owner = caller; RLS admits it with appointments.write_own. A meeting or call becomes an appointment by trigger. */
export function insertEvent(q: Queue, id: string, input: Omit<z.infer<typeof EventCreate>, "attendeeIds">) {
  return q.rows(
    `insert into public.calendar_events (id, tenant_id, owner_id, kind, title, notes, location, guests, starts_at, ends_at)
     values ($1, (select private.current_tenant()), (select private.current_user_id()), $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [id, input.kind, input.title, input.notes ?? null, input.location ?? null, JSON.stringify(input.guests ?? []), input.start, input.end],
  );
}

export function createEvent(q: Queue, id: string, input: z.infer<typeof EventCreate>) {
  const { attendeeIds, ...fields } = input;
  const writes = [insertEvent(q, id, fields)];
  if (attendeeIds?.length) writes.push(setAttendees(q, id, attendeeIds));
  const event = selectEvent(q, id);
  return Promise.all([event, ...writes]).then(([e]) => e);
}

export interface WriteOutcome {
  /** The caller can see the event's details (else 404). */
  visible: boolean;
  cancelled: boolean;
  /** RLS let the write through (visible but not written: 403). */
  written: boolean;
}

/** Event columns a patch (of an event or of its appointment) may set; absent keys keep the value. */
export const EVENT_SET = `
  kind = coalesce(($2::jsonb ->> 'kind')::public.calendar_event_kind, e.kind),
  title = coalesce($2::jsonb ->> 'title', e.title),
  notes = case when $2::jsonb ? 'notes' then $2::jsonb ->> 'notes' else e.notes end,
  location = case when $2::jsonb ? 'location' then $2::jsonb ->> 'location' else e.location end,
  guests = coalesce($2::jsonb -> 'guests', e.guests),
  starts_at = coalesce(($2::jsonb ->> 'start')::timestamptz, e.starts_at),
  ends_at = coalesce(($2::jsonb ->> 'end')::timestamptz, e.ends_at)`;

/**
 * One flight: the field update (RLS: owner, attendee or appointments.manage), the attendee list
 * (owner only, raised), then the event as it is now. A cancelled event is not edited.
 */
export function updateEvent(q: Queue, id: string, patch: z.infer<typeof EventPatch>) {
  const { attendeeIds, ...fields } = patch;
  const outcome = q.one<WriteOutcome>(
    `with target as (select e.id, e.cancelled_at from public.calendar_events e where e.id = $1),
     updated as (
       update public.calendar_events e set ${EVENT_SET}
       where e.id = $1 and e.cancelled_at is null and $3
       returning e.id
     )
     select exists (select 1 from target) as visible,
            coalesce((select cancelled_at is not null from target), false) as cancelled,
            not $3 or exists (select 1 from updated) as written`,
    [id, JSON.stringify(fields), Object.keys(fields).length > 0],
  );
  const writes: Promise<unknown>[] = [];
  if (attendeeIds) writes.push(setAttendees(q, id, attendeeIds));
  const event = selectEvent(q, id);
  return Promise.all([outcome, event, ...writes]).then(([o, e]) => ({ outcome: o!, event: e }));
}

/** Cancelling is setting cancelled_at (events are never deleted); the trigger cancels the appointment. */
export function cancelEvent(q: Queue, id: string) {
  return q.one<WriteOutcome>(
    `with target as (select e.id, e.cancelled_at from public.calendar_events e where e.id = $1),
     cancelled as (
       update public.calendar_events e set cancelled_at = now()
       where e.id = $1 and e.cancelled_at is null
       returning e.id
     )
     select exists (select 1 from target) as visible,
            coalesce((select cancelled_at is not null from target), false) as cancelled,
            exists (select 1 from cancelled) as written`,
    [id],
  );
}
