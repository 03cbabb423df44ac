// The staff dashboard in one statement (one round trip): every figure is a CTE over rows RLS
// already filtered; "the caller's" (owner or attendee, assignee) is meaning, not security.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { NEXT_LIMIT, TODAY_LIMIT, type Dashboard } from "./schema.ts";

/** A timestamptz inside JSON, formatted like the API's other timestamps (ISO 8601, UTC, ms). */
export const isoJson = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const appointmentJson = (a: string) => `json_build_object('id', ${a}.id, 'kind', ${a}.kind, 'title', ${a}.title,
  'startsAt', ${isoJson(`${a}.starts_at`)}, 'endsAt', ${isoJson(`${a}.ends_at`)}, 'status', ${a}.status, 'customerId', ${a}.customer_id)`;

export const taskJson = (t: string) => `json_build_object('id', ${t}.id, 'title', ${t}.title, 'status', ${t}.status,
  'dueAt', ${isoJson(`${t}.due_at`)}, 'customerId', ${t}.customer_id)`;

export function selectDashboard(q: Queue) {
  return q.one<z.infer<typeof Dashboard>>(
    `with me as (
       select (select private.current_user_id()) as user_id,
              coalesce((select s.timezone from public.user_settings s where s.user_id = (select private.current_user_id())), 'UTC') as tz
     ), day as (
       select me.tz, (now() at time zone me.tz)::date as today,
              date_trunc('day', now() at time zone me.tz) at time zone me.tz as starts,
              (date_trunc('day', now() at time zone me.tz) + interval '1 day') at time zone me.tz as ends
       from me
     ), my_appointments as (
       select a.* from public.appointments a, me
       where a.status <> 'cancelled'
         and (a.owner_employee_id = me.user_id or a.event_id in (select private.my_event_ids()))
     ), today as (
       select a.* from my_appointments a, day where a.starts_at >= day.starts and a.starts_at < day.ends
     ), my_open_tasks as (
       select t.* from public.tasks t, me
       where t.assigned_to = me.user_id and t.status not in ('done', 'cancelled')
     )
     select day.tz as timezone, day.today::text as today,
       json_build_object(
         'appointmentsToday', (select count(*) from today),
         'openTasks', (select count(*) from my_open_tasks),
         'overdueTasks', (select count(*) from my_open_tasks where due_at < now())
       ) as counts,
       (select coalesce(json_agg(${appointmentJson("a")} order by a.starts_at, a.id), '[]')
          from (select * from today order by starts_at, id limit ${TODAY_LIMIT}) a) as "todayAppointments",
       (select coalesce(json_agg(${appointmentJson("a")} order by a.starts_at, a.id), '[]')
          from (select * from my_appointments where status = 'scheduled' and starts_at >= now()
                order by starts_at, id limit ${NEXT_LIMIT}) a) as "nextAppointments",
       (select coalesce(json_agg(${taskJson("t")} order by t.due_at nulls last, t.created_at, t.id), '[]')
          from (select * from my_open_tasks order by due_at nulls last, created_at, id limit ${NEXT_LIMIT}) t) as "nextTasks"
     from day`,
  );
}
