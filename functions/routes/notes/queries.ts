// Notes. RLS decides who reads (author; the author's department with notes.read_team; the
// customer it is shared with) and who writes (the author); these statements add no filter of
// their own. Sharing with a department always means the author's current department.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { softDeleteVisible } from "../../lib/write-outcome.ts";
import type { Note, NoteCreate, NotePatch } from "./schema.ts";

type NoteRow = z.infer<typeof Note>;
type Nulls<T> = { [K in keyof T]: null };

const note = (n: string) => `${n}.id, ${n}.author_id as "authorId", ${n}.title, ${n}.body, ${n}.department_id as "departmentId",
  ${n}.shared_with_department as "sharedWithDepartment", ${n}.customer_id as "customerId",
  ${n}.shared_with_customer as "sharedWithCustomer", ${n}.created_at as "createdAt", ${n}.updated_at as "updatedAt"`;
const NOTE = note("notes");

export function listNotes(q: Queue, page: { limit: number; after: unknown[] | null }) {
  return q.rows<NoteRow & { _cursor: unknown[] }>(
    `select ${NOTE}, json_build_array(created_at::text, id) as "_cursor" from public.notes
     where ($1::timestamptz is null or (created_at, id) > ($1, $2::uuid))
     order by created_at, id
     limit $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

export function getNote(q: Queue, id: string) {
  return q.one<NoteRow>(`select ${NOTE} from public.notes where id = $1`, [id]);
}

/** hasDepartment = false (and nothing inserted) when sharing is asked of someone in no department. */
export function createNote(q: Queue, id: string, input: z.infer<typeof NoteCreate>) {
  return q.one<{ hasDepartment: boolean } & (NoteRow | Nulls<NoteRow>)>(
    `with me as (
       select (select private.current_department()) as department_id
     ), created as (
       insert into public.notes (id, tenant_id, author_id, title, body, department_id, shared_with_department, customer_id, shared_with_customer)
       select $1, (select private.current_tenant()), (select private.current_user_id()), $2, $3,
              case when $4 then me.department_id end, $4, $5, $6
       from me where not $4 or me.department_id is not null
       returning ${NOTE}
     )
     select (select department_id from me) is not null as "hasDepartment", n.*
     from (select 1) one left join created n on true`,
    [id, input.title, input.body ?? "", input.shareWithDepartment ?? false, input.customerId ?? null, input.shareWithCustomer ?? false],
  );
}

/**
 * visible = false → 404; visible but no row back → not the author (403); hasDepartment = false
 * when sharing is asked of someone in no department (400, nothing changed).
 */
export function updateNote(q: Queue, id: string, patch: z.infer<typeof NotePatch>) {
  return q.one<{ visible: boolean; hasDepartment: boolean } & (NoteRow | Nulls<NoteRow>)>(
    `with me as (
       select (select private.current_department()) as department_id
     ), target as (
       select id from public.notes where id = $1
     ), updated as (
       update public.notes n set
         title = coalesce($2::jsonb ->> 'title', n.title),
         body = coalesce($2::jsonb ->> 'body', n.body),
         shared_with_department = coalesce(($2::jsonb ->> 'shareWithDepartment')::boolean, n.shared_with_department),
         department_id = case when not $2::jsonb ? 'shareWithDepartment' then n.department_id
                              when ($2::jsonb ->> 'shareWithDepartment')::boolean then me.department_id end,
         customer_id = case when $2::jsonb ? 'customerId' then ($2::jsonb ->> 'customerId')::uuid else n.customer_id end,
         shared_with_customer = coalesce(($2::jsonb ->> 'shareWithCustomer')::boolean, n.shared_with_customer)
       from me
       where n.id in (select id from target)
         and not (coalesce(($2::jsonb ->> 'shareWithDepartment')::boolean, false) and me.department_id is null)
       returning ${note("n")}
     )
     select exists (select 1 from target) as visible, (select department_id from me) is not null as "hasDepartment", u.*
     from (select 1) one left join updated u on true`,
    [id, JSON.stringify(patch)],
  );
}

export const softDeleteNote = (q: Queue, id: string) => softDeleteVisible(q, "public.notes", id);
