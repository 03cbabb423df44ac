-- task.overdue scan fairness (review of issue 13): the scan took the oldest overdue tasks across
-- all businesses up to a global limit, so one business with thousands of old overdue tasks filled
-- every call and delayed every other business's events. Now one call writes at most 25 events per
-- business (its oldest first), then the oldest of those up to p_limit; the job calls again while
-- a call writes anything (at most its own bound of calls per run). As in 20261202030300 otherwise.
create or replace function private.emit_overdue_tasks(p_limit int) returns int
language plpgsql security definer set search_path = '' as $$
declare
  written int;
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception 'p_limit must be 1..1000' using errcode = '22023';
  end if;
  with candidates as (
    select t.tenant_id, t.id, t.title, t.status, t.assigned_to, t.customer_id, t.due_at,
      to_char(t.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as due_key,
      row_number() over (partition by t.tenant_id order by t.due_at, t.id) as nth
    from public.tasks t
    where t.deleted_at is null and t.due_at is not null and t.status in ('open', 'in_progress', 'blocked')
      and t.due_at <= now() and t.due_at > now() - interval '7 days'
      and not exists (select 1 from public.domain_events e
                      where e.tenant_id = t.tenant_id and e.type = 'task.overdue' and e.subject_id = t.id
                        and e.payload ->> 'dueAt' = to_char(t.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  ), due as (
    select * from candidates c where c.nth <= 25
    order by c.due_at
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
