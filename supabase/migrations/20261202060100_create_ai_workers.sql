-- AI workers (issue 14, items 1–3): workers a business provisions (owned by the tenant, never by
-- a person: created_by is history only), their lifecycle as an append-only event log, and the
-- execution policy (tenant default, per-worker override) with version counters that approval
-- requests will pin.
--
-- Who writes what:
--   * ai.manage writes workers (name, config, policy override) and the tenant's policy under RLS;
--   * status changes only through private.ai_worker_transition() (legal transitions only, one
--     event row each, same transaction); the event log has no write privilege for requests;
--   * the policy version counters are kept by triggers, never written by a request.

-- Managers see the office's AI workers without changing them. Same answers as 20261201030100 otherwise.
create or replace function private.role_permissions(r public.member_role) returns public.app_permission[]
language plpgsql immutable as $$
begin
  return case r
    when 'owner' then array(select p from pg_catalog.unnest(pg_catalog.enum_range(null::public.app_permission)) p
                            where p operator(pg_catalog.<>) 'portal.access'::public.app_permission)
    when 'admin' then array(select p from pg_catalog.unnest(pg_catalog.enum_range(null::public.app_permission)) p
                            where p operator(pg_catalog.<>) 'portal.access'::public.app_permission)
    when 'manager' then array['calendar.read', 'appointments.write_own', 'appointments.read_all',
      'tasks.write_assigned', 'tasks.read_all', 'tasks.manage', 'notes.write_own', 'notes.read_team',
      'customers.read_assigned', 'customers.read_all', 'customers.write', 'time.create',
      'automation.read', 'ai.read']::public.app_permission[]
    when 'employee' then array['calendar.read', 'appointments.write_own', 'tasks.write_assigned',
      'notes.write_own', 'notes.read_team', 'customers.read_assigned', 'time.create']::public.app_permission[]
    when 'customer' then array['portal.access']::public.app_permission[]
    else '{}'::public.app_permission[]
  end;
end $$;

-- The tenant's default execution policy. One row per business, created on first write.
create table public.ai_settings (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  execution_policy text not null default 'hybrid' check (execution_policy in ('autonomous', 'hybrid', 'manual')),
  -- More records than this in one action is a bulk action (risky).
  bulk_threshold int not null default 25 check (bulk_threshold between 1 and 10000),
  -- Bumped by a trigger on every change of the two columns above; approvals pin it.
  policy_version int not null default 1 check (policy_version >= 1),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id)
);
create trigger ai_settings_touch before update on public.ai_settings for each row execute function private.touch_updated_at();
alter table public.ai_settings enable row level security;
alter table public.ai_settings force row level security;
revoke all on public.ai_settings from anon, authenticated;
grant select on public.ai_settings to authenticated;
grant insert (tenant_id, execution_policy, bulk_threshold, updated_by) on public.ai_settings to authenticated;
grant update (execution_policy, bulk_threshold, updated_by) on public.ai_settings to authenticated;
create policy ai_settings_select_ai_read on public.ai_settings for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_settings_insert_ai_manage on public.ai_settings for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.manage'))
    and updated_by = (select private.current_user_id()));
create policy ai_settings_update_ai_manage on public.ai_settings for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.manage'))
    and updated_by = (select private.current_user_id()));
create policy ai_settings_delete_never on public.ai_settings for delete to authenticated using (false);

create table public.ai_workers (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind ~ '^[a-z][a-z_]{1,62}$'),
  -- The capability contract version of the kind this worker runs (functions/lib/ai/contracts).
  contract_version int not null check (contract_version >= 1),
  name text not null check (char_length(btrim(name)) between 1 and 100),
  config jsonb not null default '{}' check (jsonb_typeof(config) = 'object' and pg_column_size(config) <= 16384),
  -- Bumped by a trigger whenever config changes: runs name the configuration they used.
  config_version int not null default 1 check (config_version >= 1),
  status text not null default 'provisioned' check (status in ('provisioned', 'active', 'paused', 'retired', 'failed')),
  status_changed_at timestamptz not null default now(),
  -- null: the tenant's default (ai_settings).
  execution_policy text check (execution_policy in ('autonomous', 'hybrid', 'manual')),
  -- Bumped by a trigger whenever execution_policy changes; approvals pin it.
  policy_version int not null default 1 check (policy_version >= 1),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index ai_workers_tenant_created_idx on public.ai_workers (tenant_id, created_at, id);
-- Names identify workers in the office; a retired worker frees its name.
create unique index ai_workers_tenant_name_key on public.ai_workers (tenant_id, lower(name)) where status <> 'retired';
create trigger ai_workers_touch before update on public.ai_workers for each row execute function private.touch_updated_at();
alter table public.ai_workers enable row level security;
alter table public.ai_workers force row level security;
revoke all on public.ai_workers from anon, authenticated;
grant select on public.ai_workers to authenticated;
grant insert (tenant_id, id, kind, contract_version, name, config, execution_policy, created_by) on public.ai_workers to authenticated;
grant update (name, config, execution_policy) on public.ai_workers to authenticated;
grant select, update (status, status_changed_at) on public.ai_workers to app_private;
create policy ai_workers_select_ai_read on public.ai_workers for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_workers_insert_ai_manage on public.ai_workers for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.manage'))
    and created_by = (select private.current_user_id()));
create policy ai_workers_update_ai_manage on public.ai_workers for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.manage')) and status <> 'retired')
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.manage')));
-- Workers are retired, never deleted: their runs and history stay explainable.
create policy ai_workers_delete_never on public.ai_workers for delete to authenticated using (false);
create policy ai_workers_select_app_private on public.ai_workers for select to app_private using (true);
create policy ai_workers_update_app_private on public.ai_workers for update to app_private using (true) with check (true);

create function private.ai_bump_versions() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_table_name = 'ai_workers' then
    if new.config is distinct from old.config then new.config_version := old.config_version + 1; end if;
    if new.execution_policy is distinct from old.execution_policy then new.policy_version := old.policy_version + 1; end if;
  elsif new.execution_policy is distinct from old.execution_policy or new.bulk_threshold is distinct from old.bulk_threshold then
    new.policy_version := old.policy_version + 1;
  end if;
  return new;
end $$;
revoke all on function private.ai_bump_versions() from public;
create trigger ai_workers_versions before update on public.ai_workers for each row execute function private.ai_bump_versions();
create trigger ai_settings_versions before update on public.ai_settings for each row execute function private.ai_bump_versions();

create table public.ai_worker_events (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  worker_id uuid not null,
  from_status text check (from_status in ('provisioned', 'active', 'paused', 'retired', 'failed')),
  to_status text not null check (to_status in ('provisioned', 'active', 'paused', 'retired', 'failed')),
  -- null: the runtime (a failed run), not a person.
  actor_id uuid references auth.users (id) on delete set null,
  reason text check (char_length(reason) <= 500),
  created_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  foreign key (tenant_id, worker_id) references public.ai_workers (tenant_id, id) on delete cascade
);
create index ai_worker_events_tenant_worker_idx on public.ai_worker_events (tenant_id, worker_id, created_at, id);
alter table public.ai_worker_events enable row level security;
alter table public.ai_worker_events force row level security;
revoke all on public.ai_worker_events from anon, authenticated;
grant select on public.ai_worker_events to authenticated;
grant select, insert on public.ai_worker_events to app_private;
create policy ai_worker_events_select_ai_read on public.ai_worker_events for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_worker_events_insert_never on public.ai_worker_events for insert to authenticated with check (false);
create policy ai_worker_events_update_never on public.ai_worker_events for update to authenticated using (false);
create policy ai_worker_events_delete_never on public.ai_worker_events for delete to authenticated using (false);
create policy ai_worker_events_select_app_private on public.ai_worker_events for select to app_private using (true);
create policy ai_worker_events_insert_app_private on public.ai_worker_events for insert to app_private with check (true);

-- Provisioning writes the first event (null → provisioned) in the same transaction.
create function private.ai_worker_provisioned() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.ai_worker_events (tenant_id, worker_id, from_status, to_status, actor_id, reason)
  values (new.tenant_id, new.id, null, new.status, private.current_user_id(), 'provisioned');
  return null;
end $$;
alter function private.ai_worker_provisioned() owner to app_private;
revoke all on function private.ai_worker_provisioned() from public;
create trigger ai_workers_provisioned after insert on public.ai_workers for each row execute function private.ai_worker_provisioned();

create trigger ai_workers_audit after insert or update or delete on public.ai_workers
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger ai_settings_audit after insert or update or delete on public.ai_settings
  for each row execute function private.audit_row('tenant_id', 'tenant_id');

-- A person's lifecycle change: provisioned → active ⇄ paused → retired; failed → active (after
-- a fix) or retired. 'failed' itself is the runtime's (issue 14 runs), not a person's. No row:
-- the caller cannot see the worker (404). changed = false: the lifecycle does not allow it (409),
-- and nothing was written; otherwise the status and its event row are written together.
create function private.ai_worker_transition(p_worker uuid, p_to text, p_reason text)
returns table (id uuid, from_status text, changed boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
  current_status text;
begin
  if tenant is null or not private.has_permission('ai.manage') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  select w.status into current_status from public.ai_workers w where w.tenant_id = tenant and w.id = p_worker for update;
  if not found then
    return;
  end if;
  if (current_status, p_to) not in (
    ('provisioned', 'active'), ('provisioned', 'retired'),
    ('active', 'paused'), ('active', 'retired'),
    ('paused', 'active'), ('paused', 'retired'),
    ('failed', 'active'), ('failed', 'retired')
  ) then
    return query select p_worker, current_status, false;
    return;
  end if;
  update public.ai_workers w set status = p_to, status_changed_at = clock_timestamp() where w.tenant_id = tenant and w.id = p_worker;
  insert into public.ai_worker_events (tenant_id, worker_id, from_status, to_status, actor_id, reason)
  values (tenant, p_worker, current_status, p_to, private.current_user_id(), p_reason);
  return query select p_worker, current_status, true;
end $$;
alter function private.ai_worker_transition(uuid, text, text) owner to app_private;
revoke all on function private.ai_worker_transition(uuid, text, text) from public;
grant execute on function private.ai_worker_transition(uuid, text, text) to authenticated;
