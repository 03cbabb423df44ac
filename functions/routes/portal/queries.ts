// The customer portal. RLS shows a customer user only their own customer record's appointments,
// the tasks assigned to them and the notes shared with them; the explicit conditions here say
// which of those each route lists (meaning, not security).
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { isoJson } from "../dashboard/queries.ts";
import { PORTAL_NEXT_LIMIT, type PortalAppointment, type PortalDashboard, type PortalNote, type PortalTask } from "./schema.ts";

type Page = { limit: number; after: unknown[] | null };

const APPOINTMENT = `id, kind, title, starts_at as "startsAt", ends_at as "endsAt", status`;
const TASK = `id, title, description, status, due_at as "dueAt", created_at as "createdAt", updated_at as "updatedAt"`;
const NOTE = `id, title, body, created_at as "createdAt", updated_at as "updatedAt"`;

const MY_APPOINTMENTS = `customer_id = (select private.current_customer_id())`;
const MY_TASKS = `assigned_to = (select private.current_user_id())`;
const MY_NOTES = `shared_with_customer and customer_id = (select private.current_customer_id())`;

export function listPortalAppointments(q: Queue, range: { from?: string; to?: string }, page: Page) {
  return q.rows<z.infer<typeof PortalAppointment> & { _cursor: unknown[] }>(
    `select ${APPOINTMENT}, json_build_array(starts_at::text, id) as "_cursor" from public.appointments
     where ${MY_APPOINTMENTS}
       and ($1::timestamptz is null or starts_at >= $1)
       and ($2::timestamptz is null or starts_at < $2)
       and ($3::timestamptz is null or (starts_at, id) > ($3, $4::uuid))
     order by starts_at, id
     limit $5`,
    [range.from ?? null, range.to ?? null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

export function listPortalTasks(q: Queue, page: Page) {
  return q.rows<z.infer<typeof PortalTask> & { _cursor: unknown[] }>(
    `select ${TASK}, json_build_array(created_at::text, id) as "_cursor" from public.tasks
     where ${MY_TASKS} and ($1::timestamptz is null or (created_at, id) > ($1, $2::uuid))
     order by created_at, id
     limit $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

export function listPortalNotes(q: Queue, page: Page) {
  return q.rows<z.infer<typeof PortalNote> & { _cursor: unknown[] }>(
    `select ${NOTE}, json_build_array(created_at::text, id) as "_cursor" from public.notes
     where ${MY_NOTES} and ($1::timestamptz is null or (created_at, id) > ($1, $2::uuid))
     order by created_at, id
     limit $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

/** Counts and the next items, in one statement. */
export function selectPortalDashboard(q: Queue) {
  return q.one<z.infer<typeof PortalDashboard>>(
    `with appointments as (
       select * from public.appointments where ${MY_APPOINTMENTS} and status = 'scheduled' and starts_at >= now()
     ), tasks as (
       select * from public.tasks where ${MY_TASKS} and status not in ('done', 'cancelled')
     ), notes as (
       select * from public.notes where ${MY_NOTES}
     )
     select json_build_object(
         'upcomingAppointments', (select count(*) from appointments),
         'openTasks', (select count(*) from tasks),
         'sharedNotes', (select count(*) from notes)
       ) as counts,
       (select coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'title', a.title,
                 'startsAt', ${isoJson("a.starts_at")}, 'endsAt', ${isoJson("a.ends_at")}, 'status', a.status)
               order by a.starts_at, a.id), '[]')
          from (select * from appointments order by starts_at, id limit ${PORTAL_NEXT_LIMIT}) a) as "nextAppointments",
       (select coalesce(json_agg(json_build_object('id', t.id, 'title', t.title, 'description', t.description, 'status', t.status,
                 'dueAt', ${isoJson("t.due_at")}, 'createdAt', ${isoJson("t.created_at")}, 'updatedAt', ${isoJson("t.updated_at")})
               order by t.due_at nulls last, t.created_at, t.id), '[]')
          from (select * from tasks order by due_at nulls last, created_at, id limit ${PORTAL_NEXT_LIMIT}) t) as "nextTasks",
       (select coalesce(json_agg(json_build_object('id', n.id, 'title', n.title, 'body', n.body,
                 'createdAt', ${isoJson("n.created_at")}, 'updatedAt', ${isoJson("n.updated_at")})
               order by n.created_at desc, n.id desc), '[]')
          from (select * from notes order by created_at desc, id desc limit ${PORTAL_NEXT_LIMIT}) n) as "latestNotes"`,
  );
}
