-- Built-in templates (issue 13, item 5) a business turns on in one call, and what they need:
-- * automation_templates: per business and template, whether it is on (and since when);
-- * appointment_reminders: the reminders of 20261201031000 now run only while the template is on
--   (no row: on, as before this migration);
-- * appointment_follow_up: an ordinary workflow (workflows.template_key) on appointment.completed
--   with a `draft_follow_up` step: a draft to the appointment's staff member, never to the customer;
-- * daily_digest: daily_digests, one row per (member, local date), written by the global
--   `digest-sweep` job (every 15 minutes) when a member's digest went out, or deferred past quiet hours;
-- * workflow message steps in quiet hours are now deferred (status `deferred`, same attempt,
--   queued again at the end of the quiet hours) instead of skipped.

create table public.automation_templates (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  template_key text not null check (template_key in ('appointment_reminders', 'appointment_follow_up', 'daily_digest')),
  enabled boolean not null,
  -- Since when it is on: a digest is due for a local date whose 08:00 came after this.
  enabled_at timestamptz,
  updated_by uuid references auth.users (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, template_key),
  check (not enabled or enabled_at is not null)
);
-- The sweep starts from the businesses with the digest on.
create index automation_templates_enabled_key_idx on public.automation_templates (template_key, tenant_id) where enabled;

alter table public.automation_templates enable row level security;
alter table public.automation_templates force row level security;
revoke all on public.automation_templates from anon, authenticated;
grant select, insert (tenant_id, template_key, enabled, enabled_at, updated_by),
  update (enabled, enabled_at, updated_by, updated_at) on public.automation_templates to authenticated;
grant select on public.automation_templates to app_private;
create policy automation_templates_select_automation_read on public.automation_templates for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.may_read_automation()));
create policy automation_templates_insert_automation_manage on public.automation_templates for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage'))
    and updated_by = (select private.current_user_id()));
create policy automation_templates_update_automation_manage on public.automation_templates for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage'))
    and updated_by = (select private.current_user_id()));
create policy automation_templates_delete_never on public.automation_templates for delete to authenticated using (false);
create policy automation_templates_select_app_private on public.automation_templates for select to app_private using (true);
create trigger automation_templates_touch before update on public.automation_templates
  for each row execute function private.touch_updated_at();
create trigger automation_templates_audit after insert or update on public.automation_templates
  for each row execute function private.audit_row('tenant_id', 'template_key');

-- Whether a template is on in a business; appointment reminders are on unless turned off.
create function private.template_enabled(p_tenant uuid, p_key text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select t.enabled from public.automation_templates t where t.tenant_id = p_tenant and t.template_key = p_key),
                  p_key = 'appointment_reminders')
$$;
alter function private.template_enabled(uuid, text) owner to app_private;
revoke all on function private.template_enabled(uuid, text) from public;

-- One digest per member and local date (the effect's record; the messages themselves are
-- notification_deliveries keyed digest:{user}:{local_date}).
create table public.daily_digests (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null,
  local_date date not null,
  time_zone text not null check (char_length(time_zone) between 1 and 64),
  status text not null check (status in ('sent', 'deferred', 'skipped')),
  -- deferred: when the member's quiet hours end (the digest goes out then).
  due_at timestamptz,
  -- sent/skipped: the sweep's clock when it went out, and what each channel did.
  sent_at timestamptz,
  channels jsonb not null default '{}' check (jsonb_typeof(channels) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id, local_date),
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade,
  check ((status = 'deferred') = (due_at is not null))
);
create index daily_digests_tenant_date_idx on public.daily_digests (tenant_id, local_date, user_id);

alter table public.daily_digests enable row level security;
alter table public.daily_digests force row level security;
revoke all on public.daily_digests from anon, authenticated;
grant select on public.daily_digests to authenticated;
grant select, insert, update on public.daily_digests to app_private;
create policy daily_digests_select_own_or_automation_read on public.daily_digests for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (user_id = (select private.current_user_id()) or (select private.may_read_automation())));
create policy daily_digests_insert_never on public.daily_digests for insert to authenticated with check (false);
create policy daily_digests_update_never on public.daily_digests for update to authenticated using (false);
create policy daily_digests_delete_never on public.daily_digests for delete to authenticated using (false);
create policy daily_digests_select_app_private on public.daily_digests for select to app_private using (true);
create policy daily_digests_insert_app_private on public.daily_digests for insert to app_private with check (true);
create policy daily_digests_update_app_private on public.daily_digests for update to app_private using (true) with check (true);
create trigger daily_digests_audit after insert or update on public.daily_digests
  for each row execute function private.audit_row('tenant_id', 'user_id');

-- Appointment reminders follow the template: none are queued while it is off, and one queued
-- before it was turned off is stale when it fires.
create or replace function private.schedule_appointment_reminders() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  offset_minutes int;
  offsets int[];
begin
  if new.status <> 'scheduled' or not private.template_enabled(new.tenant_id, 'appointment_reminders') then
    return null;
  end if;
  select s.reminder_offsets into offsets from public.automation_settings s where s.tenant_id = new.tenant_id;
  foreach offset_minutes in array coalesce(offsets, array[1440, 60]) loop
    if new.starts_at - make_interval(mins => offset_minutes) > now() then
      insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
      values (
        new.tenant_id,
        'appointment-reminder',
        format('reminder:%s:%s:%s', new.id, offset_minutes, to_char(new.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        jsonb_build_object('tenantId', new.tenant_id, 'appointmentId', new.id, 'offsetMinutes', offset_minutes,
          'startsAt', to_char(new.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        new.starts_at - make_interval(mins => offset_minutes)
      )
      on conflict (dedupe_id) do nothing;
    end if;
  end loop;
  return null;
end $$;

create or replace function private.appointment_reminder_context(p_tenant uuid, p_appointment uuid, p_starts_at timestamptz)
returns table (user_id uuid, title text, starts_at timestamptz, customer_name text)
language sql stable security definer set search_path = '' as $$
  select a.owner_employee_id, a.title, a.starts_at, c.name
  from public.appointments a
  left join public.customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
  where a.tenant_id = p_tenant and a.id = p_appointment and a.status = 'scheduled' and a.starts_at = p_starts_at
    and private.template_enabled(p_tenant, 'appointment_reminders')
$$;

-- The digest's content: the member's unfinished tasks (counts, and the first five by due date).
create function private.digest_tasks(p_tenant uuid, p_user uuid, p_now timestamptz) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'open', count(*) filter (where t.status = 'open'),
    'inProgress', count(*) filter (where t.status = 'in_progress'),
    'blocked', count(*) filter (where t.status = 'blocked'),
    'overdue', count(*) filter (where t.due_at < p_now),
    'next', coalesce((select jsonb_agg(jsonb_build_object('title', n.title, 'dueAt', n.due_at) order by n.due_at nulls last, n.id)
                      from (select x.id, x.title, x.due_at from public.tasks x
                            where x.tenant_id = p_tenant and x.assigned_to = p_user and x.deleted_at is null
                              and x.status in ('open', 'in_progress', 'blocked')
                            order by x.due_at nulls last, x.id limit 5) n), '[]'::jsonb))
  from public.tasks t
  where t.tenant_id = p_tenant and t.assigned_to = p_user and t.deleted_at is null and t.status in ('open', 'in_progress', 'blocked')
$$;

-- Members whose digest is due at p_now (the sweep's clock): the business has the template on, the
-- member is active staff, it is 08:00 or later on their local date (their time zone), the template
-- was on at that date's 08:00, and no digest row exists for that date — or it was deferred past
-- quiet hours that are over now. With where their messages go now and the content.
create function private.digest_due(p_now timestamptz, p_limit int)
returns table (tenant_id uuid, user_id uuid, local_date date, time_zone text, local_time text,
               email text, telegram_chat_id text, quiet_until timestamptz, tasks jsonb)
language sql stable security definer set search_path = '' as $$
  select due.tenant_id, due.user_id, due.local_date, due.tz, to_char(due.local_at, 'HH24:MI'),
         nt.email, nt.telegram_chat_id, nt.quiet_until, private.digest_tasks(due.tenant_id, due.user_id, p_now)
  from (
    select m.tenant_id, m.user_id, l.tz, l.local_at, l.local_at::date as local_date
    from public.automation_templates tpl
    join public.tenants t on t.id = tpl.tenant_id and t.status = 'active'
    join public.memberships m on m.tenant_id = tpl.tenant_id and m.active and m.role <> 'customer'
    left join public.user_settings us on us.user_id = m.user_id
    cross join lateral (select coalesce(us.timezone, 'UTC') as tz, p_now at time zone coalesce(us.timezone, 'UTC') as local_at) l
    left join public.daily_digests d on d.tenant_id = m.tenant_id and d.user_id = m.user_id and d.local_date = l.local_at::date
    where tpl.template_key = 'daily_digest' and tpl.enabled
      and l.local_at::time >= time '08:00'
      and tpl.enabled_at <= (l.local_at::date + time '08:00') at time zone l.tz
      and (d.user_id is null or (d.status = 'deferred' and d.due_at <= p_now))
    order by m.tenant_id, m.user_id
    limit least(greatest(p_limit, 1), 200)
  ) due
  cross join lateral private.notification_target(due.tenant_id, due.user_id, p_now) nt
$$;

-- Records a member's digest for a local date: sent (or skipped: no channel), once — true the first time.
create function private.digest_record(p_tenant uuid, p_user uuid, p_date date, p_tz text, p_status text, p_channels jsonb, p_at timestamptz)
returns boolean language plpgsql volatile security definer set search_path = '' as $$
begin
  if p_status not in ('sent', 'skipped') then
    raise exception 'not a final digest status' using errcode = '22023';
  end if;
  insert into public.daily_digests as d (tenant_id, user_id, local_date, time_zone, status, sent_at, channels)
  values (p_tenant, p_user, p_date, p_tz, p_status, p_at, coalesce(p_channels, '{}'))
  on conflict (tenant_id, user_id, local_date) do update
    set status = excluded.status, sent_at = excluded.sent_at, channels = excluded.channels, due_at = null, updated_at = now()
    where d.status = 'deferred';
  return found;
end $$;

-- A digest due inside quiet hours waits until they end: its row says so (the sweep leaves it
-- until then) and a sweep is queued for that instant, so it goes out on time, not at the next
-- quarter hour.
create function private.digest_defer(p_tenant uuid, p_user uuid, p_date date, p_tz text, p_until timestamptz)
returns boolean language plpgsql volatile security definer set search_path = '' as $$
begin
  insert into public.daily_digests as d (tenant_id, user_id, local_date, time_zone, status, due_at)
  values (p_tenant, p_user, p_date, p_tz, 'deferred', p_until)
  on conflict (tenant_id, user_id, local_date) do update set due_at = excluded.due_at, updated_at = now()
    where d.status = 'deferred' and d.due_at is distinct from excluded.due_at;
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, 'digest-sweep',
          format('digest:%s:%s:after-quiet:%s', p_user, p_date, to_char(p_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
          '{}'::jsonb, p_until)
  on conflict (dedupe_id) do nothing;
  return true;
end $$;

-- The follow-up draft's facts: a completed appointment and its staff member.
create function private.follow_up_context(p_tenant uuid, p_appointment uuid)
returns table (user_id uuid, title text, starts_at timestamptz, status text, customer_name text)
language sql stable security definer set search_path = '' as $$
  select a.owner_employee_id, a.title, a.starts_at, a.status::text, c.name
  from public.appointments a
  left join public.customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
  where a.tenant_id = p_tenant and a.id = p_appointment
$$;

-- Defining a draft_follow_up reads any appointment: it needs appointments.read_all, like find_appointments.
create or replace function private.may_define_actions(p_actions jsonb) returns boolean
language sql stable security definer set search_path = '' as $$
  select (not (p_actions @> '[{"type": "find_appointments"}]') or private.has_permission('appointments.read_all'))
     and (not (p_actions @> '[{"type": "draft_follow_up"}]') or private.has_permission('appointments.read_all'))
     and (not (p_actions @> '[{"type": "aggregate_tasks"}]') or private.has_permission('tasks.read_all'))
     and (not (p_actions @> '[{"type": "call_webhook"}]') or private.has_permission('webhooks.manage'))
$$;

-- Workflow message steps in quiet hours wait: `deferred` keeps the attempt (not a failure), and
-- the same attempt is queued again for the end of the quiet hours under its own dedupe id.
alter table public.workflow_execution_steps drop constraint workflow_execution_steps_status_check;
alter table public.workflow_execution_steps add constraint workflow_execution_steps_status_check
  check (status in ('pending', 'running', 'retrying', 'deferred', 'succeeded', 'failed', 'cancelled'));

create function private.workflow_step_deferred(p_tenant uuid, p_execution uuid, p_step int, p_attempt int, p_until timestamptz, p_reason text)
returns text language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.workflow_execution_steps s
  set status = 'deferred', next_attempt_at = p_until, last_error = left(p_reason, 1000)
  where s.tenant_id = p_tenant and s.execution_id = p_execution and s.step_index = p_step
    and s.status = 'running' and s.attempts = p_attempt;
  if not found then
    return 'noop';
  end if;
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, 'workflow-step',
          format('wf:%s:%s:%s:after-quiet:%s', p_execution, p_step, p_attempt, to_char(p_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
          jsonb_build_object('tenantId', p_tenant, 'executionId', p_execution, 'stepIndex', p_step, 'attempt', p_attempt),
          p_until)
  on conflict (dedupe_id) do nothing;
  return 'deferred';
end $$;

-- As before, and a deferred step is claimed again by its own attempt.
create or replace function private.workflow_step_claim(p_tenant uuid, p_execution uuid, p_step int, p_attempt int)
returns table (action jsonb, previous jsonb, trigger_payload jsonb, workflow_id uuid, step_count int)
language plpgsql volatile security definer set search_path = '' as $$
declare
  ex public.workflow_executions;
  act jsonb;
begin
  select * into ex from public.workflow_executions e
  where e.tenant_id = p_tenant and e.id = p_execution and e.status in ('queued', 'running') and e.current_step = p_step
  for update;
  if not found then
    return;
  end if;
  select v.actions -> p_step into act from public.workflow_versions v
  where v.tenant_id = p_tenant and v.workflow_id = ex.workflow_id and v.version = ex.version;
  update public.workflow_execution_steps s
  set status = 'running', attempts = p_attempt, started_at = now(), finished_at = null, input = act
  where s.tenant_id = p_tenant and s.execution_id = p_execution and s.step_index = p_step
    and ((s.status = 'pending' and p_attempt = 1)
      or (s.status = 'retrying' and s.attempts = p_attempt - 1)
      or (s.status = 'deferred' and s.attempts = p_attempt)
      or (s.status = 'running' and s.attempts = p_attempt and s.started_at < now() - interval '5 minutes'));
  if not found then
    return;
  end if;
  update public.workflow_executions e set status = 'running', started_at = coalesce(e.started_at, now())
  where e.tenant_id = p_tenant and e.id = p_execution;
  return query
    select act,
      coalesce((select jsonb_agg(s.output order by s.step_index) from public.workflow_execution_steps s
                where s.tenant_id = p_tenant and s.execution_id = p_execution and s.step_index < p_step), '[]'::jsonb),
      ex.trigger_payload, ex.workflow_id, ex.step_count;
end $$;

alter function private.digest_tasks(uuid, uuid, timestamptz) owner to app_private;
alter function private.digest_due(timestamptz, int) owner to app_private;
alter function private.digest_record(uuid, uuid, date, text, text, jsonb, timestamptz) owner to app_private;
alter function private.digest_defer(uuid, uuid, date, text, timestamptz) owner to app_private;
alter function private.follow_up_context(uuid, uuid) owner to app_private;
alter function private.workflow_step_deferred(uuid, uuid, int, int, timestamptz, text) owner to app_private;
revoke all on function private.digest_tasks(uuid, uuid, timestamptz), private.digest_due(timestamptz, int),
  private.digest_record(uuid, uuid, date, text, text, jsonb, timestamptz), private.digest_defer(uuid, uuid, date, text, timestamptz),
  private.follow_up_context(uuid, uuid), private.workflow_step_deferred(uuid, uuid, int, int, timestamptz, text) from public;
grant execute on function private.digest_due(timestamptz, int),
  private.digest_record(uuid, uuid, date, text, text, jsonb, timestamptz), private.digest_defer(uuid, uuid, date, text, timestamptz),
  private.follow_up_context(uuid, uuid), private.workflow_step_deferred(uuid, uuid, int, int, timestamptz, text) to office_jobs;
