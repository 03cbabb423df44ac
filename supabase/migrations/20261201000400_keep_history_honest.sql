-- Holes reachable with direct SQL as `authenticated` (defence in depth: the Data API is closed,
-- RLS is the last line), each closed in the schema.

-- 1. A person's settings change was logged into their active tenant with the whole row, so a
--    switch from tenant A to B put A's id into B's audit log, where B's owner reads it. The row
--    is now logged with any other tenant's id withheld.
create function private.audit_user_settings() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  tenant uuid := new.active_tenant_id;
  old_row jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  new_row jsonb := to_jsonb(new);
begin
  if tenant is null or (tg_op = 'UPDATE' and old_row = new_row)
     or not exists (select 1 from public.tenants t where t.id = tenant) then
    return null;
  end if;
  if old_row is not null and old.active_tenant_id is distinct from tenant then
    old_row := old_row || jsonb_build_object('active_tenant_id', case when old.active_tenant_id is null then null else '[another tenant]' end);
  end if;
  insert into public.audit_log (tenant_id, actor_id, action, resource_type, resource_id, before, after, request_id)
  values (tenant, private.current_user_id(), 'user_settings.' || lower(tg_op), 'user_settings', new.user_id::text,
          old_row, new_row, nullif(current_setting('request.id', true), ''));
  return null;
end $$;
alter function private.audit_user_settings() owner to app_private;
revoke all on function private.audit_user_settings() from public;
drop trigger user_settings_audit on public.user_settings;
create trigger user_settings_audit after insert or update on public.user_settings
  for each row execute function private.audit_user_settings();

-- 2. A cancelled event stays cancelled: clearing cancelled_at resurrected its appointment (the
--    sync trigger reschedules an appointment whose event is no longer cancelled).
create function private.keep_event_cancelled() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.cancelled_at is not null and new.cancelled_at is distinct from old.cancelled_at then
    raise exception 'the event is cancelled' using errcode = 'AO409';
  end if;
  return new;
end $$;
revoke all on function private.keep_event_cancelled() from public;
create trigger calendar_events_keep_cancelled before update of cancelled_at on public.calendar_events
  for each row execute function private.keep_event_cancelled();

-- 3. Comments and time logs are stamped by the database: a client-chosen created_at backdated
--    them. (logged_on, the day the work was done, stays the author's to say.)
revoke insert on public.task_comments, public.time_logs from authenticated;
grant insert (id, tenant_id, task_id, author_id, body) on public.task_comments to authenticated;
grant insert (id, tenant_id, task_id, user_id, minutes, note, logged_on) on public.time_logs to authenticated;

-- 4. Time logs follow their task, as comments do: a soft-deleted task's logs were still
--    readable with tasks.read_all. (The subquery is filtered by the tasks policy.)
drop policy time_logs_select_own_or_all on public.time_logs;
create policy time_logs_select_own_or_all_on_visible_task on public.time_logs for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (user_id = (select private.current_user_id()) or (select private.has_permission('tasks.read_all')))
    and exists (select 1 from public.tasks t where t.tenant_id = time_logs.tenant_id and t.id = time_logs.task_id));
