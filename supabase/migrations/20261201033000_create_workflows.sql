-- Workflows (issue 13, items 2–5): a trigger and ordered typed actions, versioned; executions
-- whose steps are durable rows in Postgres, each delivered by QStash (job `workflow-step`,
-- through the job outbox with the dedupe id wf:{execution}:{step}:{attempt}).
--
-- Who writes what:
--   * members with automation.manage write workflows and (immutable) versions under RLS;
--   * executions, steps, automation rules and webhook receipts are written only by the
--     security-definer functions below (owner app_private): a request starts an execution
--     through private.workflow_run_manual(), the step job claims and finishes steps, the event
--     log (another branch) calls private.workflow_handle_event().

create table public.workflows (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  trigger_kind text not null check (trigger_kind in ('manual', 'scheduled', 'event', 'webhook')),
  active boolean not null default false,
  current_version int not null default 1 check (current_version >= 1),
  -- The built-in template this workflow was enabled from (one per template and business).
  template_key text check (template_key ~ '^[a-z][a-z0-9_]{1,62}$'),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index workflows_tenant_created_idx on public.workflows (tenant_id, created_at, id);
create unique index workflows_tenant_id_template_key_key on public.workflows (tenant_id, template_key) where template_key is not null;
create trigger workflows_touch before update on public.workflows for each row execute function private.touch_updated_at();

-- Immutable: an update of a workflow is a new version; executions name the version they ran.
create table public.workflow_versions (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  workflow_id uuid not null,
  version int not null check (version >= 1),
  trigger jsonb not null check (jsonb_typeof(trigger) = 'object'),
  actions jsonb not null check (jsonb_typeof(actions) = 'array' and jsonb_array_length(actions) between 1 and 20),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, workflow_id, version),
  foreign key (tenant_id, workflow_id) references public.workflows (tenant_id, id) on delete cascade
);

-- Event type → workflow, kept from each workflow's current version (trigger below).
create table public.automation_rules (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  workflow_id uuid not null,
  event_type text not null check (event_type ~ '^[a-z][a-z_]{0,40}\.[a-z][a-z_]{0,40}$'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, workflow_id),
  foreign key (tenant_id, workflow_id) references public.workflows (tenant_id, id) on delete cascade
);
create index automation_rules_tenant_event_idx on public.automation_rules (tenant_id, event_type);

create table public.workflow_executions (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  workflow_id uuid not null,
  version int not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  trigger_kind text not null check (trigger_kind in ('manual', 'scheduled', 'event', 'webhook')),
  -- What started it, unique per version: manual:{uuid}, event:{event id}, webhook:{webhook-id},
  -- schedule:{fire time}. A second start for the same trigger is the same execution.
  trigger_id text not null check (char_length(trigger_id) between 1 and 300),
  trigger_payload jsonb not null default '{}' check (jsonb_typeof(trigger_payload) = 'object'),
  step_count int not null check (step_count between 1 and 20),
  current_step int not null default 0,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  primary key (tenant_id, id),
  unique (tenant_id, workflow_id, version, trigger_id),
  foreign key (tenant_id, workflow_id, version) references public.workflow_versions (tenant_id, workflow_id, version) on delete cascade
);
create index workflow_executions_tenant_workflow_idx on public.workflow_executions (tenant_id, workflow_id, created_at, id);

create table public.workflow_execution_steps (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  execution_id uuid not null,
  step_index int not null check (step_index between 0 and 19),
  action text not null check (action ~ '^[a-z][a-z_]{1,40}$'),
  status text not null default 'pending' check (status in ('pending', 'running', 'retrying', 'succeeded', 'failed', 'cancelled')),
  attempts int not null default 0 check (attempts >= 0),
  input jsonb,
  output jsonb,
  last_error text,
  started_at timestamptz,
  finished_at timestamptz,
  next_attempt_at timestamptz,
  primary key (tenant_id, execution_id, step_index),
  foreign key (tenant_id, execution_id) references public.workflow_executions (tenant_id, id) on delete cascade
);

-- One row per accepted inbound webhook id: a replayed webhook-id finds its row and is refused.
create table public.workflow_webhook_receipts (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  workflow_id uuid not null,
  webhook_id text not null check (char_length(webhook_id) between 1 and 200),
  received_at timestamptz not null default now(),
  primary key (tenant_id, workflow_id, webhook_id),
  foreign key (tenant_id, workflow_id) references public.workflows (tenant_id, id) on delete cascade
);

-- Privileges: members write workflows and versions (RLS decides); everything else is read-only
-- to them and written by the definer functions.
revoke all on public.workflows, public.workflow_versions, public.automation_rules, public.workflow_executions,
  public.workflow_execution_steps, public.workflow_webhook_receipts from anon, authenticated;
grant select (tenant_id, id, name, trigger_kind, active, current_version, template_key, created_by, created_at, updated_at)
  on public.workflows to authenticated;
grant insert (tenant_id, id, name, trigger_kind, active, template_key, created_by) on public.workflows to authenticated;
grant update (name, trigger_kind, active, current_version) on public.workflows to authenticated;
grant select, insert on public.workflow_versions to authenticated;
grant select on public.automation_rules, public.workflow_executions, public.workflow_execution_steps to authenticated;
grant select on public.workflows, public.workflow_versions to app_private;
grant select, insert, delete on public.automation_rules to app_private;
grant select, insert, update on public.workflow_executions, public.workflow_execution_steps to app_private;
grant select, insert on public.workflow_webhook_receipts to app_private;

alter table public.workflows enable row level security;
alter table public.workflows force row level security;
alter table public.workflow_versions enable row level security;
alter table public.workflow_versions force row level security;
alter table public.automation_rules enable row level security;
alter table public.automation_rules force row level security;
alter table public.workflow_executions enable row level security;
alter table public.workflow_executions force row level security;
alter table public.workflow_execution_steps enable row level security;
alter table public.workflow_execution_steps force row level security;
alter table public.workflow_webhook_receipts enable row level security;
alter table public.workflow_webhook_receipts force row level security;

-- automation.manage implies reading what one manages.
create function private.may_read_automation() returns boolean
language sql stable security definer set search_path = '' as $$
  select private.has_permission('automation.read') or private.has_permission('automation.manage')
$$;
alter function private.may_read_automation() owner to app_private;
revoke all on function private.may_read_automation() from public;
grant execute on function private.may_read_automation() to authenticated;

create policy workflows_select_automation_read on public.workflows for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.may_read_automation()));
create policy workflows_insert_automation_manage on public.workflows for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage'))
    and created_by = (select private.current_user_id()));
create policy workflows_update_automation_manage on public.workflows for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage')));
-- Workflows are deactivated, never deleted: their executions are history.
create policy workflows_delete_never on public.workflows for delete to authenticated using (false);
create policy workflows_select_app_private on public.workflows for select to app_private using (true);

create policy workflow_versions_select_automation_read on public.workflow_versions for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.may_read_automation()));
create policy workflow_versions_insert_automation_manage on public.workflow_versions for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage'))
    and created_by = (select private.current_user_id()));
create policy workflow_versions_update_never on public.workflow_versions for update to authenticated using (false);
create policy workflow_versions_delete_never on public.workflow_versions for delete to authenticated using (false);
create policy workflow_versions_select_app_private on public.workflow_versions for select to app_private using (true);

create policy automation_rules_select_automation_read on public.automation_rules for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.may_read_automation()));
create policy automation_rules_insert_never on public.automation_rules for insert to authenticated with check (false);
create policy automation_rules_update_never on public.automation_rules for update to authenticated using (false);
create policy automation_rules_delete_never on public.automation_rules for delete to authenticated using (false);
create policy automation_rules_select_app_private on public.automation_rules for select to app_private using (true);
create policy automation_rules_insert_app_private on public.automation_rules for insert to app_private with check (true);
create policy automation_rules_delete_app_private on public.automation_rules for delete to app_private using (true);

create policy workflow_executions_select_automation_read on public.workflow_executions for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.may_read_automation()));
create policy workflow_executions_insert_never on public.workflow_executions for insert to authenticated with check (false);
create policy workflow_executions_update_never on public.workflow_executions for update to authenticated using (false);
create policy workflow_executions_delete_never on public.workflow_executions for delete to authenticated using (false);
create policy workflow_executions_select_app_private on public.workflow_executions for select to app_private using (true);
create policy workflow_executions_insert_app_private on public.workflow_executions for insert to app_private with check (true);
create policy workflow_executions_update_app_private on public.workflow_executions for update to app_private using (true) with check (true);

create policy workflow_execution_steps_select_automation_read on public.workflow_execution_steps for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.may_read_automation()));
create policy workflow_execution_steps_insert_never on public.workflow_execution_steps for insert to authenticated with check (false);
create policy workflow_execution_steps_update_never on public.workflow_execution_steps for update to authenticated using (false);
create policy workflow_execution_steps_delete_never on public.workflow_execution_steps for delete to authenticated using (false);
create policy workflow_execution_steps_select_app_private on public.workflow_execution_steps for select to app_private using (true);
create policy workflow_execution_steps_insert_app_private on public.workflow_execution_steps for insert to app_private with check (true);
create policy workflow_execution_steps_update_app_private on public.workflow_execution_steps for update to app_private using (true) with check (true);

create policy workflow_webhook_receipts_select_never on public.workflow_webhook_receipts for select to authenticated using (false);
create policy workflow_webhook_receipts_insert_never on public.workflow_webhook_receipts for insert to authenticated with check (false);
create policy workflow_webhook_receipts_update_never on public.workflow_webhook_receipts for update to authenticated using (false);
create policy workflow_webhook_receipts_delete_never on public.workflow_webhook_receipts for delete to authenticated using (false);
create policy workflow_webhook_receipts_select_app_private on public.workflow_webhook_receipts for select to app_private using (true);
create policy workflow_webhook_receipts_insert_app_private on public.workflow_webhook_receipts for insert to app_private with check (true);

-- Audit: definitions, rules and each execution's lifecycle (steps are the execution's own log).
create trigger workflows_audit after insert or update on public.workflows
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger workflow_versions_audit after insert on public.workflow_versions
  for each row execute function private.audit_row('tenant_id', 'workflow_id');
create trigger automation_rules_audit after insert or delete on public.automation_rules
  for each row execute function private.audit_row('tenant_id', 'workflow_id');
create trigger workflow_executions_audit after insert or update of status on public.workflow_executions
  for each row execute function private.audit_row('tenant_id', 'id');

-- A version names the workflow's trigger; an event trigger is an automation rule.
create function private.sync_automation_rule() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.automation_rules r where r.tenant_id = new.tenant_id and r.workflow_id = new.workflow_id;
  if new.trigger ->> 'type' = 'event' then
    insert into public.automation_rules (tenant_id, workflow_id, event_type)
    values (new.tenant_id, new.workflow_id, new.trigger ->> 'eventType');
  end if;
  return null;
end $$;
alter function private.sync_automation_rule() owner to app_private;
revoke all on function private.sync_automation_rule() from public;
create trigger workflow_versions_sync_rule after insert on public.workflow_versions
  for each row execute function private.sync_automation_rule();

-- Starts an execution of a workflow's current version, once per trigger id: inserts the
-- execution, a pending row per action, and the first step's job (outbox, same transaction).
-- Returns the execution (the existing one for a trigger id seen before), or nothing when the
-- workflow does not exist in that tenant or (for a trigger other than manual) is inactive.
create function private.workflow_start(p_tenant uuid, p_workflow uuid, p_kind text, p_trigger_id text, p_payload jsonb, p_actor uuid)
returns uuid language plpgsql volatile security definer set search_path = '' as $$
declare
  wf public.workflows;
  ver public.workflow_versions;
  exec_id uuid;
begin
  select * into wf from public.workflows w where w.tenant_id = p_tenant and w.id = p_workflow;
  if not found or (p_kind <> 'manual' and not wf.active) then
    return null;
  end if;
  select * into ver from public.workflow_versions v
  where v.tenant_id = p_tenant and v.workflow_id = p_workflow and v.version = wf.current_version;
  insert into public.workflow_executions (tenant_id, workflow_id, version, trigger_kind, trigger_id, trigger_payload, step_count, created_by)
  values (p_tenant, p_workflow, ver.version, p_kind, p_trigger_id, coalesce(p_payload, '{}'), jsonb_array_length(ver.actions), p_actor)
  on conflict (tenant_id, workflow_id, version, trigger_id) do nothing
  returning id into exec_id;
  if exec_id is null then
    select e.id into exec_id from public.workflow_executions e
    where e.tenant_id = p_tenant and e.workflow_id = p_workflow and e.version = ver.version and e.trigger_id = p_trigger_id;
    return exec_id;
  end if;
  insert into public.workflow_execution_steps (tenant_id, execution_id, step_index, action)
  select p_tenant, exec_id, a.ordinality - 1, a.value ->> 'type'
  from jsonb_array_elements(ver.actions) with ordinality a;
  perform private.workflow_enqueue_step(p_tenant, exec_id, 0, 1, now());
  return exec_id;
end $$;

create function private.workflow_enqueue_step(p_tenant uuid, p_execution uuid, p_step int, p_attempt int, p_not_before timestamptz)
returns void language sql volatile security definer set search_path = '' as $$
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, 'workflow-step', format('wf:%s:%s:%s', p_execution, p_step, p_attempt),
          jsonb_build_object('tenantId', p_tenant, 'executionId', p_execution, 'stepIndex', p_step, 'attempt', p_attempt),
          p_not_before)
  on conflict (dedupe_id) do nothing
$$;

-- The manual `run` route: automation.manage in the caller's tenant; another tenant's workflow is
-- not found. Idempotency-Key replays are the route's; each run id is a new execution.
create function private.workflow_run_manual(p_workflow uuid, p_run uuid, p_payload jsonb)
returns uuid language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
begin
  if tenant is null or not private.has_permission('automation.manage') then
    raise exception 'forbidden' using errcode = 'AO403';
  end if;
  if not exists (select 1 from public.workflows w where w.tenant_id = tenant and w.id = p_workflow) then
    raise exception 'not_found' using errcode = 'AO404';
  end if;
  return private.workflow_start(tenant, p_workflow, 'manual', 'manual:' || p_run, p_payload, private.current_user_id());
end $$;

-- The seam for the domain event log: starts, once per (version, event id), an execution of every
-- active workflow whose rule names this event type in this tenant.
create function private.workflow_handle_event(p_tenant uuid, p_event_type text, p_event_id uuid, p_payload jsonb)
returns setof uuid language sql volatile security definer set search_path = '' as $$
  select private.workflow_start(p_tenant, r.workflow_id, 'event', 'event:' || p_event_id, p_payload, null)
  from public.automation_rules r
  join public.workflows w on w.tenant_id = r.tenant_id and w.id = r.workflow_id and w.active
  where r.tenant_id = p_tenant and r.event_type = p_event_type
$$;

-- A scheduled trigger's fire (the QStash schedule wf:{workflow}): one execution per fire time.
create function private.workflow_start_scheduled(p_tenant uuid, p_workflow uuid, p_fire text)
returns uuid language sql volatile security definer set search_path = '' as $$
  select private.workflow_start(p_tenant, p_workflow, 'scheduled', 'schedule:' || p_fire, jsonb_build_object('firedAt', p_fire), null)
  where exists (select 1 from public.workflows w where w.tenant_id = p_tenant and w.id = p_workflow and w.trigger_kind = 'scheduled')
$$;

-- Inbound webhooks: where a workflow lives (its secret is derived from tenant and id by the
-- Worker), and the start itself, refused (null) for a webhook-id seen before.
create function private.workflow_webhook_target(p_workflow uuid)
returns table (tenant_id uuid, active boolean) language sql stable security definer set search_path = '' as $$
  select w.tenant_id, w.active from public.workflows w
  join public.tenants t on t.id = w.tenant_id and t.status = 'active'
  where w.id = p_workflow and w.trigger_kind = 'webhook'
$$;

create function private.workflow_webhook_start(p_tenant uuid, p_workflow uuid, p_webhook_id text, p_payload jsonb)
returns uuid language plpgsql volatile security definer set search_path = '' as $$
begin
  insert into public.workflow_webhook_receipts (tenant_id, workflow_id, webhook_id)
  values (p_tenant, p_workflow, p_webhook_id)
  on conflict do nothing;
  if not found then
    return null;
  end if;
  return private.workflow_start(p_tenant, p_workflow, 'webhook', 'webhook:' || p_webhook_id, p_payload, null);
end $$;

-- Claims a step for one delivery: only the execution's current step, only the expected attempt,
-- and only once (a running claim is taken over only after it went stale, i.e. the Worker died
-- mid-step). Anything else (a duplicate, a finished step, a step not yet current, a cancelled
-- execution) returns no row: a no-op. Returns what the action needs: its config from the
-- version, the previous steps' outputs in order, and the trigger payload.
create function private.workflow_step_claim(p_tenant uuid, p_execution uuid, p_step int, p_attempt int)
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

-- Stores a claimed step's output and, in the same transaction, queues the next step or finishes
-- the execution. 'next' | 'succeeded' | 'noop' (the claim was not this delivery's).
create function private.workflow_step_succeeded(p_tenant uuid, p_execution uuid, p_step int, p_attempt int, p_output jsonb)
returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  total int;
begin
  update public.workflow_execution_steps s
  set status = 'succeeded', output = p_output, finished_at = now(), last_error = null, next_attempt_at = null
  where s.tenant_id = p_tenant and s.execution_id = p_execution and s.step_index = p_step
    and s.status = 'running' and s.attempts = p_attempt;
  if not found then
    return 'noop';
  end if;
  select e.step_count into total from public.workflow_executions e where e.tenant_id = p_tenant and e.id = p_execution;
  if p_step + 1 < total then
    update public.workflow_executions e set current_step = p_step + 1 where e.tenant_id = p_tenant and e.id = p_execution;
    perform private.workflow_enqueue_step(p_tenant, p_execution, p_step + 1, 1, now());
    return 'next';
  end if;
  update public.workflow_executions e set status = 'succeeded', finished_at = now(), current_step = p_step
  where e.tenant_id = p_tenant and e.id = p_execution;
  return 'succeeded';
end $$;

-- Records a claimed step's failure: with p_retry_at, the same step is queued again (attempt + 1,
-- notBefore = p_retry_at) and the execution resumes there; without, the execution fails.
-- 'retry' | 'failed' | 'noop'.
create function private.workflow_step_failed(p_tenant uuid, p_execution uuid, p_step int, p_attempt int, p_error text, p_retry_at timestamptz)
returns text language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.workflow_execution_steps s
  set status = case when p_retry_at is null then 'failed' else 'retrying' end,
      last_error = left(p_error, 1000), next_attempt_at = p_retry_at,
      finished_at = case when p_retry_at is null then now() end
  where s.tenant_id = p_tenant and s.execution_id = p_execution and s.step_index = p_step
    and s.status = 'running' and s.attempts = p_attempt;
  if not found then
    return 'noop';
  end if;
  if p_retry_at is not null then
    perform private.workflow_enqueue_step(p_tenant, p_execution, p_step, p_attempt + 1, p_retry_at);
    return 'retry';
  end if;
  update public.workflow_executions e set status = 'failed', finished_at = now(), error = left(p_error, 1000)
  where e.tenant_id = p_tenant and e.id = p_execution;
  update public.workflow_execution_steps s set status = 'cancelled'
  where s.tenant_id = p_tenant and s.execution_id = p_execution and s.step_index > p_step and s.status = 'pending';
  return 'failed';
end $$;

-- Data actions, read as the workflow's tenant (the job has no user).
create function private.workflow_find_appointments(p_tenant uuid, p_from timestamptz, p_to timestamptz, p_status text, p_limit int)
returns jsonb language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'status', a.status,
      'startsAt', to_char(a.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'endsAt', to_char(a.ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'ownerEmployeeId', a.owner_employee_id, 'customerId', a.customer_id) order by a.starts_at, a.id), '[]'::jsonb)
  from (select * from public.appointments a
        where a.tenant_id = p_tenant and a.starts_at >= p_from and a.starts_at < p_to
          and (p_status is null or a.status::text = p_status)
        order by a.starts_at, a.id limit least(greatest(p_limit, 1), 200)) a
$$;

-- Counts by status; scoped to one assignee, who must be an active member (a deactivated one
-- fails the step, retryably: a membership restored meanwhile lets the retry succeed).
create function private.workflow_aggregate_tasks(p_tenant uuid, p_assigned_to uuid, p_now timestamptz)
returns jsonb language plpgsql stable security definer set search_path = '' as $$
declare
  result jsonb;
begin
  if p_assigned_to is not null and not exists (
    select 1 from public.memberships m where m.tenant_id = p_tenant and m.user_id = p_assigned_to and m.active
  ) then
    raise exception 'assignee_inactive' using errcode = 'AO409';
  end if;
  select jsonb_build_object(
    'total', count(*),
    'open', count(*) filter (where t.status = 'open'),
    'inProgress', count(*) filter (where t.status = 'in_progress'),
    'blocked', count(*) filter (where t.status = 'blocked'),
    'done', count(*) filter (where t.status = 'done'),
    'overdue', count(*) filter (where t.status in ('open', 'in_progress', 'blocked') and t.due_at < p_now))
  into result
  from public.tasks t
  where t.tenant_id = p_tenant and t.deleted_at is null and t.status <> 'cancelled'
    and (p_assigned_to is null or t.assigned_to = p_assigned_to);
  return result;
end $$;

alter function private.workflow_start(uuid, uuid, text, text, jsonb, uuid) owner to app_private;
alter function private.workflow_enqueue_step(uuid, uuid, int, int, timestamptz) owner to app_private;
alter function private.workflow_run_manual(uuid, uuid, jsonb) owner to app_private;
alter function private.workflow_handle_event(uuid, text, uuid, jsonb) owner to app_private;
alter function private.workflow_start_scheduled(uuid, uuid, text) owner to app_private;
alter function private.workflow_webhook_target(uuid) owner to app_private;
alter function private.workflow_webhook_start(uuid, uuid, text, jsonb) owner to app_private;
alter function private.workflow_step_claim(uuid, uuid, int, int) owner to app_private;
alter function private.workflow_step_succeeded(uuid, uuid, int, int, jsonb) owner to app_private;
alter function private.workflow_step_failed(uuid, uuid, int, int, text, timestamptz) owner to app_private;
alter function private.workflow_find_appointments(uuid, timestamptz, timestamptz, text, int) owner to app_private;
alter function private.workflow_aggregate_tasks(uuid, uuid, timestamptz) owner to app_private;
revoke all on function private.workflow_start(uuid, uuid, text, text, jsonb, uuid), private.workflow_enqueue_step(uuid, uuid, int, int, timestamptz),
  private.workflow_run_manual(uuid, uuid, jsonb), private.workflow_handle_event(uuid, text, uuid, jsonb),
  private.workflow_start_scheduled(uuid, uuid, text), private.workflow_webhook_target(uuid), private.workflow_webhook_start(uuid, uuid, text, jsonb),
  private.workflow_step_claim(uuid, uuid, int, int), private.workflow_step_succeeded(uuid, uuid, int, int, jsonb),
  private.workflow_step_failed(uuid, uuid, int, int, text, timestamptz),
  private.workflow_find_appointments(uuid, timestamptz, timestamptz, text, int), private.workflow_aggregate_tasks(uuid, uuid, timestamptz) from public;
grant execute on function private.workflow_run_manual(uuid, uuid, jsonb) to authenticated;
grant execute on function private.workflow_handle_event(uuid, text, uuid, jsonb), private.workflow_start_scheduled(uuid, uuid, text),
  private.workflow_webhook_target(uuid), private.workflow_webhook_start(uuid, uuid, text, jsonb),
  private.workflow_step_claim(uuid, uuid, int, int), private.workflow_step_succeeded(uuid, uuid, int, int, jsonb),
  private.workflow_step_failed(uuid, uuid, int, int, text, timestamptz),
  private.workflow_find_appointments(uuid, timestamptz, timestamptz, text, int), private.workflow_aggregate_tasks(uuid, uuid, timestamptz) to office_jobs;
