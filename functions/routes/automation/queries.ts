// SQL for automation settings and ad-hoc reminders. RLS decides what is visible and who may write.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { AutomationSettings, Reminder, ReminderCreate, ReminderStatus } from "./schema.ts";

export const MAY_READ_AUTOMATION = "select private.has_permission('automation.read') as allowed";
export const MAY_MANAGE_AUTOMATION = "select private.has_permission('automation.manage') as allowed";

type SettingsRow = z.infer<typeof AutomationSettings>;
type ReminderRow = z.infer<typeof Reminder>;

export function selectAutomationSettings(q: Queue) {
  return q.one<SettingsRow>(
    `select coalesce(s.reminder_offsets, array[1440, 60]) as "reminderOffsetsMinutes", s.updated_at as "updatedAt"
     from (select (select private.current_tenant()) as tenant_id) t
     left join public.automation_settings s on s.tenant_id = t.tenant_id`,
  );
}

/** RLS refuses (42501 → 403) a caller without automation.manage. */
export function saveAutomationSettings(q: Queue, offsets: number[]) {
  return q.one<SettingsRow>(
    `insert into public.automation_settings as s (tenant_id, reminder_offsets)
     values ((select private.current_tenant()), $1::int[])
     on conflict (tenant_id) do update set reminder_offsets = excluded.reminder_offsets, updated_at = now()
     returning reminder_offsets as "reminderOffsetsMinutes", updated_at as "updatedAt"`,
    [offsets],
  );
}

const REMINDER = (r: string) => `${r}.id, ${r}.user_id as "userId", ${r}.created_by as "createdBy", ${r}.text, ${r}.remind_at as "remindAt", ${r}.channels,
  case when ${r}.cancelled_at is not null then 'cancelled'
       when exists (select 1 from public.notification_deliveries d where d.tenant_id = ${r}.tenant_id and d.reminder_key = 'reminder:adhoc:' || ${r}.id and d.status <> 'claimed') then 'delivered'
       else 'scheduled' end as status,
  coalesce((select json_agg(json_build_object('channel', d.channel, 'status', d.status, 'reason', d.reason, 'sentAt', d.sent_at) order by d.channel)
            from public.notification_deliveries d where d.tenant_id = ${r}.tenant_id and d.reminder_key = 'reminder:adhoc:' || ${r}.id), '[]') as deliveries,
  ${r}.created_at as "createdAt", ${r}.cancelled_at as "cancelledAt"`;

/**
 * One statement: whether the caller may remind that person at all (themselves, or automation.manage),
 * whether the person is an active staff member here, and the insert when both hold.
 */
export function createReminder(q: Queue, input: z.infer<typeof ReminderCreate>) {
  return q.one<{ allowed: boolean; member: boolean; reminder: ReminderRow | null }>(
    `with target as (
       select coalesce($1::uuid, (select private.current_user_id())) as user_id
     ), checks as (
       select t.user_id,
              (t.user_id = (select private.current_user_id()) or (select private.has_permission('automation.manage'))) as allowed,
              exists (select 1 from public.memberships m where m.tenant_id = (select private.current_tenant()) and m.user_id = t.user_id
                        and m.active and m.role <> 'customer') as member
       from target t
     ), ins as (
       insert into public.reminders (tenant_id, user_id, created_by, text, remind_at, channels)
       select (select private.current_tenant()), c.user_id, (select private.current_user_id()), $2, $3, $4::text[]
       from checks c where c.allowed and c.member
       returning *
     )
     select c.allowed, c.member, (select row_to_json(x) from (select ${REMINDER("ins")} from ins) x) as reminder
     from checks c`,
    [input.userId ?? null, input.text, input.remindAt, input.channels ?? null],
  );
}

export function listReminders(q: Queue, page: { limit: number; after: unknown[] | null; userId?: string; status?: z.infer<typeof ReminderStatus> }) {
  return q.rows<ReminderRow & { _cursor: unknown[] }>(
    `select * from (
       select ${REMINDER("r")}, json_build_array(r.remind_at::text, r.id) as "_cursor"
       from public.reminders r
       where r.tenant_id = (select private.current_tenant())
         and ($1::uuid is null or r.user_id = $1)
         and ($2::timestamptz is null or (r.remind_at, r.id) > ($2, $3::uuid))
     ) x
     where $4::text is null or status = $4
     order by "remindAt", id
     limit $5`,
    [page.userId ?? null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.status ?? null, page.limit + 1],
  );
}

export function getReminder(q: Queue, id: string) {
  return q.one<ReminderRow>(`select ${REMINDER("r")} from public.reminders r where r.id = $1`, [id]);
}

/** Cancels in one statement: visible (else 404), allowed (else 403), already cancelled (unchanged). */
export function cancelReminder(q: Queue, id: string) {
  return q.one<{ visible: boolean; changed: boolean; reminder: ReminderRow | null }>(
    `with target as (
       select r.id, r.cancelled_at from public.reminders r where r.id = $1
     ), upd as (
       update public.reminders r set cancelled_at = now(), cancelled_by = (select private.current_user_id())
       where r.id in (select id from target where cancelled_at is null)
       returning r.*
     )
     select exists (select 1 from target) as visible, exists (select 1 from upd) as changed,
       coalesce((select row_to_json(x) from (select ${REMINDER("upd")} from upd) x),
                (select row_to_json(x) from (select ${REMINDER("r")} from public.reminders r where r.id = $1) x)) as reminder`,
    [id],
  );
}
