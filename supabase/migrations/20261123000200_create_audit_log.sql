-- Append-only audit trail. Rows are written by a trigger on each audited table, inside the
-- mutating statement's transaction, so no handler can forget one and none outlives a rollback.

create table public.audit_log (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  action text not null,
  resource_type text not null,
  resource_id text,
  before jsonb,
  after jsonb,
  request_id text
);
create index audit_log_tenant_occurred_idx on public.audit_log (tenant_id, occurred_at desc, id desc);

alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;
revoke all on public.audit_log from anon, authenticated;
grant select on public.audit_log to authenticated;
grant insert on public.audit_log to app_private;

create policy audit_log_select_owner_admin on public.audit_log for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
-- Only the audit trigger writes; nobody rewrites history (retention is a migration-role job).
create policy audit_log_insert_trigger_only on public.audit_log for insert to app_private
  with check (true);
create policy audit_log_insert_never on public.audit_log for insert to authenticated
  with check (false);
create policy audit_log_update_never on public.audit_log for update to authenticated
  using (false);
create policy audit_log_delete_never on public.audit_log for delete to authenticated
  using (false);

-- Trigger arguments: the column that names the tenant, the column that names the resource, then
-- the columns whose values never reach the log (secrets, token hashes).
create function private.audit_row() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  tenant uuid;
  redacted text;
  i int;
begin
  if tg_op = 'UPDATE' and old_row = new_row then
    return null;
  end if;
  tenant := coalesce(new_row ->> tg_argv[0], old_row ->> tg_argv[0])::uuid;
  -- A tenant being deleted takes its history with it (the cascade), so there is nothing to log.
  if tenant is null or not exists (select 1 from public.tenants t where t.id = tenant) then
    return null;
  end if;
  for i in 2 .. tg_nargs - 1 loop
    redacted := tg_argv[i];
    if old_row ? redacted then old_row := old_row || jsonb_build_object(redacted, '[redacted]'); end if;
    if new_row ? redacted then new_row := new_row || jsonb_build_object(redacted, '[redacted]'); end if;
  end loop;
  insert into public.audit_log (tenant_id, actor_id, action, resource_type, resource_id, before, after, request_id)
  values (
    tenant,
    private.current_user_id(),
    tg_table_name || '.' || lower(tg_op),
    tg_table_name,
    coalesce(new_row ->> tg_argv[1], old_row ->> tg_argv[1]),
    old_row,
    new_row,
    nullif(current_setting('request.id', true), '')
  );
  return null;
end $$;
alter function private.audit_row() owner to app_private;
revoke all on function private.audit_row() from public;

create trigger tenants_audit after insert or update or delete on public.tenants
  for each row execute function private.audit_row('id', 'id');
create trigger memberships_audit after insert or update or delete on public.memberships
  for each row execute function private.audit_row('tenant_id', 'user_id');
create trigger user_settings_audit after insert or update on public.user_settings
  for each row execute function private.audit_row('active_tenant_id', 'user_id');
