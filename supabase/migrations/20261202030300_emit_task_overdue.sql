-- task.overdue (hardening of issue 13): a scheduled scan (QStash schedule "task-overdue-scan",
-- every 5 minutes) writes one event per (task, due date) for tasks whose due date passed while
-- they were open (open, in_progress, blocked). The unique index is the effect's key: a scan
-- delivered three times, or two scans at once, write one event; a task rescheduled to a new due
-- date can become overdue again (another key). The event goes through the log like any other:
-- webhooks fan out from it and workflows start on it; members read it where they may read tasks
-- (private.readable_event_types: task.* needs tasks.read_all).
--
-- Bounded: one call writes at most p_limit events, oldest due first; tasks due more than 7 days
-- ago are not reported (a business's backlog at deploy time is not a flood of events).

create unique index domain_events_task_overdue_once on public.domain_events (tenant_id, subject_id, (payload ->> 'dueAt'))
  where type = 'task.overdue';
-- The scan's access path across businesses: open tasks by due date.
create index tasks_open_due_idx on public.tasks (due_at)
  where deleted_at is null and due_at is not null and status in ('open', 'in_progress', 'blocked');

create function private.emit_overdue_tasks(p_limit int) returns int
language plpgsql security definer set search_path = '' as $$
declare
  written int;
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception 'p_limit must be 1..1000' using errcode = '22023';
  end if;
  with due as (
    select t.tenant_id, t.id, t.title, t.status, t.assigned_to, t.customer_id, t.due_at,
      to_char(t.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as due_key
    from public.tasks t
    where t.deleted_at is null and t.due_at is not null and t.status in ('open', 'in_progress', 'blocked')
      and t.due_at <= now() and t.due_at > now() - interval '7 days'
      and not exists (select 1 from public.domain_events e
                      where e.tenant_id = t.tenant_id and e.type = 'task.overdue' and e.subject_id = t.id
                        and e.payload ->> 'dueAt' = to_char(t.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    order by t.due_at
    limit p_limit
  ), ins as (
    insert into public.domain_events (tenant_id, type, subject_id, actor_id, payload)
    select d.tenant_id, 'task.overdue', d.id, null, jsonb_build_object(
      'id', d.id, 'title', d.title, 'status', d.status, 'assignedTo', d.assigned_to, 'customerId', d.customer_id,
      'dueAt', d.due_key)
    from due d
    on conflict (tenant_id, subject_id, (payload ->> 'dueAt')) where type = 'task.overdue' do nothing
    returning 1
  )
  select count(*) into written from ins;
  return written;
end $$;
alter function private.emit_overdue_tasks(int) owner to app_private;
revoke all on function private.emit_overdue_tasks(int) from public;
grant execute on function private.emit_overdue_tasks(int) to office_jobs;
