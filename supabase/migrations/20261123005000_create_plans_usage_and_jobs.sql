-- Plans and quotas, daily usage flushed from Redis, and the database side of scheduled jobs.
--
-- Jobs (QStash deliveries, signature-verified by the Worker) are not requests of a person:
-- they run as `office_jobs`, a role with no table privileges at all that may only execute the
-- few security-definer functions below, each doing one narrow, idempotent thing.

create table public.plans (
  id text primary key check (id ~ '^[a-z]+$'),
  name text not null,
  rate_limit_per_minute int not null check (rate_limit_per_minute > 0),
  monthly_quotas jsonb not null check (jsonb_typeof(monthly_quotas) = 'object')
);
comment on table public.plans is 'Global reference data (the price list): readable by every signed-in person, written only by migrations.';
-- Mirrors shared/plans.ts (a test checks they agree).
insert into public.plans (id, name, rate_limit_per_minute, monthly_quotas) values
  ('free', 'Free', 120, '{"api_calls": 50000, "task_runs": 500, "agent_runs": 200, "tokens_in": 500000, "tokens_out": 200000, "reports": 20, "successful_outcomes": 200}'),
  ('pro', 'Pro', 1200, '{"api_calls": 2000000, "task_runs": 20000, "agent_runs": 10000, "tokens_in": 50000000, "tokens_out": 20000000, "reports": 1000, "successful_outcomes": 10000}'),
  ('enterprise', 'Enterprise', 6000, '{"api_calls": 50000000, "task_runs": 500000, "agent_runs": 250000, "tokens_in": 1000000000, "tokens_out": 400000000, "reports": 50000, "successful_outcomes": 250000}');
alter table public.tenants drop constraint tenants_plan_check;
alter table public.tenants add constraint tenants_plan_fk foreign key (plan) references public.plans (id);

alter table public.plans enable row level security;
alter table public.plans force row level security;
revoke all on public.plans from anon, authenticated;
grant select on public.plans to authenticated;
create policy plans_select_everyone on public.plans for select to authenticated using (true);
create policy plans_insert_never on public.plans for insert to authenticated with check (false);
create policy plans_update_never on public.plans for update to authenticated using (false);
create policy plans_delete_never on public.plans for delete to authenticated using (false);

create type public.usage_metric as enum ('api_calls', 'task_runs', 'agent_runs', 'tokens_in', 'tokens_out', 'reports', 'successful_outcomes');

create table public.usage_daily (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  day date not null,
  metric public.usage_metric not null,
  value bigint not null check (value >= 0),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, day, metric)
);

alter table public.usage_daily enable row level security;
alter table public.usage_daily force row level security;
revoke all on public.usage_daily from anon, authenticated;
grant select on public.usage_daily to authenticated;
grant select, insert, update on public.usage_daily to app_private;
create policy usage_daily_select_owner_admin on public.usage_daily for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy usage_daily_insert_never on public.usage_daily for insert to authenticated with check (false);
create policy usage_daily_update_never on public.usage_daily for update to authenticated using (false);
create policy usage_daily_delete_never on public.usage_daily for delete to authenticated using (false);
create policy usage_daily_select_app_private on public.usage_daily for select to app_private using (true);
create policy usage_daily_insert_app_private on public.usage_daily for insert to app_private with check (true);
create policy usage_daily_update_app_private on public.usage_daily for update to app_private using (true) with check (true);

-- The effect of an appointment reminder: one row per (appointment, offset, start time). The
-- primary key makes a reminder delivered at most once however often QStash delivers it.
create table public.reminder_deliveries (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  appointment_id uuid not null,
  offset_minutes int not null check (offset_minutes between 0 and 40320),
  starts_at timestamptz not null,
  delivered_at timestamptz not null default now(),
  message_id text,
  primary key (tenant_id, appointment_id, offset_minutes, starts_at),
  foreign key (tenant_id, appointment_id) references public.appointments (tenant_id, id) on delete cascade
);

alter table public.reminder_deliveries enable row level security;
alter table public.reminder_deliveries force row level security;
revoke all on public.reminder_deliveries from anon, authenticated;
grant select on public.reminder_deliveries to authenticated;
grant select, insert on public.reminder_deliveries to app_private;
create policy reminder_deliveries_select_visible_appointment on public.reminder_deliveries for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and exists (select 1 from public.appointments a where a.tenant_id = reminder_deliveries.tenant_id and a.id = reminder_deliveries.appointment_id));
create policy reminder_deliveries_insert_never on public.reminder_deliveries for insert to authenticated with check (false);
create policy reminder_deliveries_update_never on public.reminder_deliveries for update to authenticated using (false);
create policy reminder_deliveries_delete_never on public.reminder_deliveries for delete to authenticated using (false);
create policy reminder_deliveries_select_app_private on public.reminder_deliveries for select to app_private using (true);
create policy reminder_deliveries_insert_app_private on public.reminder_deliveries for insert to app_private with check (true);

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'office_jobs') then
    create role office_jobs nologin noinherit nobypassrls;
  end if;
end $$;
grant office_jobs to office_api;
grant usage on schema private to office_jobs;

-- Absolute daily values from Redis. Never lowers a stored value (a Redis restart must not erase
-- history), and a repeated or duplicated flush writes the same numbers: no double counting.
create function private.record_usage(p_rows jsonb) returns int
language sql security definer set search_path = '' as $$
  with rows as (
    select r.tenant_id, r.day, r.metric::public.usage_metric as metric, r.value
    from jsonb_to_recordset(p_rows) as r (tenant_id uuid, day date, metric text, value bigint)
    where exists (select 1 from public.tenants t where t.id = r.tenant_id)
      and r.metric in (select unnest(enum_range(null::public.usage_metric))::text)
  ), written as (
    insert into public.usage_daily as u (tenant_id, day, metric, value)
    select tenant_id, day, metric, value from rows
    on conflict (tenant_id, day, metric) do update
      set value = greatest(u.value, excluded.value), updated_at = now()
      where u.value < excluded.value
    returning 1
  )
  select count(*)::int from written
$$;

-- Delivers a reminder once, and only while it is still current: an appointment that was moved,
-- cancelled or deleted after the reminder was queued makes it a no-op.
create function private.deliver_reminder(p_tenant uuid, p_appointment uuid, p_offset int, p_starts_at timestamptz, p_message_id text)
returns text language plpgsql security definer set search_path = '' as $$
begin
  if not exists (
    select 1 from public.appointments a
    where a.tenant_id = p_tenant and a.id = p_appointment and a.status = 'scheduled' and a.starts_at = p_starts_at
  ) then
    return 'stale';
  end if;
  insert into public.reminder_deliveries (tenant_id, appointment_id, offset_minutes, starts_at, message_id)
  values (p_tenant, p_appointment, p_offset, p_starts_at, p_message_id)
  on conflict do nothing;
  return case when found then 'delivered' else 'duplicate' end;
end $$;

alter function private.record_usage(jsonb) owner to app_private;
alter function private.deliver_reminder(uuid, uuid, int, timestamptz, text) owner to app_private;
revoke all on function private.record_usage(jsonb), private.deliver_reminder(uuid, uuid, int, timestamptz, text) from public;
grant execute on function private.record_usage(jsonb), private.deliver_reminder(uuid, uuid, int, timestamptz, text) to office_jobs;

-- The plan joins the access token, so limits and quotas are decided before any database work.
create or replace function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  active_tenant uuid;
  active_role public.member_role;
  active_plan text;
begin
  select m.tenant_id, m.role, t.plan into active_tenant, active_role, active_plan
  from public.user_settings s
  join public.memberships m on m.tenant_id = s.active_tenant_id and m.user_id = s.user_id and m.active
  join public.tenants t on t.id = m.tenant_id and t.status = 'active'
  where s.user_id = (event ->> 'user_id')::uuid;

  if active_tenant is null then
    claims := claims - 'tenant_id' - 'tenant_role' - 'tenant_plan';
  else
    claims := claims || jsonb_build_object('tenant_id', active_tenant, 'tenant_role', active_role, 'tenant_plan', active_plan);
  end if;
  return jsonb_set(event, '{claims}', claims);
end $$;
