// Tasks, comments and time logs. RLS decides every visibility and permission question
// (tasks_select_assigned_created_or_all, the guard trigger, …); these statements add none of
// their own. Statements that tell "no such task" (404) from "you may not" (403) compute both in
// one statement, with RLS deciding each.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { softDeleteVisible } from "../../lib/write-outcome.ts";
import type { Task, TaskComment, TaskCreate, TaskPatch, TaskStatus, TimeLog } from "./schema.ts";

type TaskRow = z.infer<typeof Task>;
type CommentRow = z.infer<typeof TaskComment>;
type TimeLogRow = z.infer<typeof TimeLog>;
type Nulls<T> = { [K in keyof T]: null };
type Page = { limit: number; after: unknown[] | null };

const TASK = `id, title, description, status, assigned_to as "assignedTo", created_by as "createdBy",
  customer_id as "customerId", due_at as "dueAt", created_at as "createdAt", updated_at as "updatedAt"`;
const COMMENT = `id, task_id as "taskId", author_id as "authorId", body, created_at as "createdAt"`;
const TIME_LOG = `id, task_id as "taskId", user_id as "userId", minutes, note, logged_on as "loggedOn", created_at as "createdAt"`;
const CURSOR = `json_build_array(created_at::text, id) as "_cursor"`;
const AFTER = (ts: string, id: string) => `(${ts}::timestamptz is null or (created_at, id) > (${ts}, ${id}::uuid))`;

export interface TaskFilter {
  /** A user id, `me`, or undefined for everyone the caller may see. */
  assignedTo?: string;
  status?: z.infer<typeof TaskStatus>[];
  dueBefore?: string;
  dueAfter?: string;
}

export function listTasks(q: Queue, filter: TaskFilter, page: Page) {
  const me = filter.assignedTo === "me";
  return q.rows<TaskRow & { _cursor: unknown[] }>(
    `select ${TASK}, ${CURSOR} from public.tasks
     where ($1::uuid is null and not $2::boolean
            or assigned_to = case when $2 then (select private.current_user_id()) else $1::uuid end)
       and ($3::public.task_status[] is null or status = any ($3))
       and ($4::timestamptz is null or due_at < $4)
       and ($5::timestamptz is null or due_at >= $5)
       and ${AFTER("$6", "$7")}
     order by created_at, id
     limit $8`,
    [
      me ? null : (filter.assignedTo ?? null),
      me,
      filter.status ?? null,
      filter.dueBefore ?? null,
      filter.dueAfter ?? null,
      page.after?.[0] ?? null,
      page.after?.[1] ?? null,
      page.limit + 1,
    ],
  );
}

export function getTask(q: Queue, id: string) {
  return q.one<TaskRow>(`select ${TASK} from public.tasks where id = $1`, [id]);
}

/** `assignedTo` omitted or `me` assigns the caller; the insert policy decides who may assign whom. */
export function createTask(q: Queue, id: string, input: z.infer<typeof TaskCreate>) {
  const assignee = input.assignedTo === undefined || input.assignedTo === "me" ? null : input.assignedTo;
  const assignMe = input.assignedTo === undefined || input.assignedTo === "me";
  return q.one<TaskRow>(
    `insert into public.tasks (id, tenant_id, title, description, status, assigned_to, created_by, customer_id, due_at)
     values ($1, (select private.current_tenant()), $2, $3, coalesce($4::public.task_status, 'open'),
             case when $5 then (select private.current_user_id()) else $6::uuid end,
             (select private.current_user_id()), $7, $8)
     returning ${TASK}`,
    [id, input.title, input.description ?? null, input.status ?? null, assignMe, assignee, input.customerId ?? null, input.dueAt ?? null],
  );
}

/**
 * visible = false → 404; visible and no row back → the update policy matched nothing (403). The
 * guard trigger raises 403 itself when an assignee touches anything but the status.
 */
export function updateTask(q: Queue, id: string, patch: z.infer<typeof TaskPatch>) {
  return q.one<{ visible: boolean } & (TaskRow | Nulls<TaskRow>)>(
    `with target as (
       select id from public.tasks where id = $1
     ), updated as (
       update public.tasks t set
         title = coalesce($2::jsonb ->> 'title', t.title),
         description = case when $2::jsonb ? 'description' then $2::jsonb ->> 'description' else t.description end,
         status = coalesce(($2::jsonb ->> 'status')::public.task_status, t.status),
         assigned_to = case when $2::jsonb ? 'assignedTo' then ($2::jsonb ->> 'assignedTo')::uuid else t.assigned_to end,
         customer_id = case when $2::jsonb ? 'customerId' then ($2::jsonb ->> 'customerId')::uuid else t.customer_id end,
         due_at = case when $2::jsonb ? 'dueAt' then ($2::jsonb ->> 'dueAt')::timestamptz else t.due_at end
       where t.id in (select id from target)
       returning ${TASK}
     )
     select exists (select 1 from target) as visible, u.*
     from (select 1) one left join updated u on true`,
    [id, JSON.stringify(patch)],
  );
}

export const softDeleteTask = (q: Queue, id: string) => softDeleteVisible(q, "public.tasks", id);

const taskVisible = (q: Queue, taskId: string) =>
  q.one<{ visible: boolean }>(`select exists (select 1 from public.tasks where id = $1) as visible`, [taskId]);

export function listComments(q: Queue, taskId: string, page: Page) {
  return Promise.all([
    taskVisible(q, taskId),
    q.rows<CommentRow & { _cursor: unknown[] }>(
      `select ${COMMENT}, ${CURSOR} from public.task_comments
       where task_id = $1 and ${AFTER("$2", "$3")}
       order by created_at, id
       limit $4`,
      [taskId, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    ),
  ]);
}

/** Inserts only on a task the caller sees (else visible = false → 404); the insert policy decides the rest. */
export function createComment(q: Queue, taskId: string, body: string) {
  return q.one<{ visible: boolean } & (CommentRow | Nulls<CommentRow>)>(
    `with task as (
       select tenant_id, id from public.tasks where id = $1
     ), created as (
       insert into public.task_comments (tenant_id, task_id, author_id, body)
       select task.tenant_id, task.id, (select private.current_user_id()), $2 from task
       returning ${COMMENT}
     )
     select exists (select 1 from task) as visible, c.*
     from (select 1) one left join created c on true`,
    [taskId, body],
  );
}

export function listTimeLogs(q: Queue, taskId: string, page: Page) {
  return Promise.all([
    taskVisible(q, taskId),
    q.rows<TimeLogRow & { _cursor: unknown[] }>(
      `select ${TIME_LOG}, ${CURSOR} from public.time_logs
       where task_id = $1 and ${AFTER("$2", "$3")}
       order by created_at, id
       limit $4`,
      [taskId, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    ),
  ]);
}

/** loggedOn defaults to today in the caller's time zone (user_settings.timezone, else UTC). */
export function createTimeLog(q: Queue, taskId: string, input: { minutes: number; loggedOn?: string; note?: string | null }) {
  return q.one<{ visible: boolean } & (TimeLogRow | Nulls<TimeLogRow>)>(
    `with task as (
       select tenant_id, id from public.tasks where id = $1
     ), created as (
       insert into public.time_logs (tenant_id, task_id, user_id, minutes, note, logged_on)
       select task.tenant_id, task.id, (select private.current_user_id()), $2, $3,
              coalesce($4::date, (now() at time zone coalesce(
                (select s.timezone from public.user_settings s where s.user_id = (select private.current_user_id())), 'UTC'))::date)
       from task
       returning ${TIME_LOG}
     )
     select exists (select 1 from task) as visible, l.*
     from (select 1) one left join created l on true`,
    [taskId, input.minutes, input.note ?? null, input.loggedOn ?? null],
  );
}
