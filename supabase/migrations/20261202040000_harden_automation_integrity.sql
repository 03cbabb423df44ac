-- Hardening of automation (issue 13 review, set B):
-- 1. Inbound workflow webhook secrets rotate. The secret stays derived (HMAC under the server's
--    WORKFLOW_WEBHOOK_SECRET), now of (tenant, workflow, generation): rotating bumps the
--    generation (workflow_webhook_keys), and the previous generation keeps verifying until
--    previous_valid_until (24 h). Only a counter is stored, never a secret, and authenticated
--    holds no privilege on it; the definer functions read and write it. Generation 0 derives
--    exactly the pre-rotation secret, so senders configured before this migration keep working.
-- 2. Bookkeeping columns are written only by definer functions and triggers, never directly by
--    a member: workflows.current_version and trigger_kind follow the inserted version;
--    webhook_endpoints' failure count, disabled_at and secret_rotated_at follow the sender's
--    results, enabling/disabling and set_webhook_secret(). (Deliveries, attempts, executions
--    and steps already had no write privilege for authenticated.)
-- 3. Execution trigger payloads and step outputs can carry an event's data; members read them
--    only through private.workflow_execution_data(), which applies the event log's rule.
-- 4. Outbound signing secrets are stored encrypted by the Worker (AES-GCM, `enc:v1:<kid>:…`);
--    legacy plaintext rows stay valid until the endpoint's next rotation.
-- 5. An execution refused for the plan's task_runs quota is recorded as `refused`, no step run.

-- 1. Rotation -----------------------------------------------------------------------------------
-- One row per workflow whose secret was rotated (none: generation 0). No privilege for
-- authenticated: requests rotate through private.workflow_rotate_webhook_secret().
create table public.workflow_webhook_keys (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  workflow_id uuid not null,
  generation int not null check (generation >= 1),
  previous_valid_until timestamptz not null,
  rotated_by uuid references auth.users (id) on delete set null,
  rotated_at timestamptz not null default now(),
  primary key (tenant_id, workflow_id),
  foreign key (tenant_id, workflow_id) references public.workflows (tenant_id, id) on delete cascade
);
comment on table public.workflow_webhook_keys is 'Generation of each inbound workflow webhook secret (derived by the Worker, never stored). Written by workflow_rotate_webhook_secret(), read by the hook.';
alter table public.workflow_webhook_keys enable row level security;
alter table public.workflow_webhook_keys force row level security;
revoke all on public.workflow_webhook_keys from anon, authenticated;
grant select, insert, update on public.workflow_webhook_keys to app_private;
create policy workflow_webhook_keys_select_never on public.workflow_webhook_keys for select to authenticated using (false);
create policy workflow_webhook_keys_insert_never on public.workflow_webhook_keys for insert to authenticated with check (false);
create policy workflow_webhook_keys_update_never on public.workflow_webhook_keys for update to authenticated using (false);
create policy workflow_webhook_keys_delete_never on public.workflow_webhook_keys for delete to authenticated using (false);
create policy workflow_webhook_keys_select_app_private on public.workflow_webhook_keys for select to app_private using (true);
create policy workflow_webhook_keys_insert_app_private on public.workflow_webhook_keys for insert to app_private with check (true);
create policy workflow_webhook_keys_update_app_private on public.workflow_webhook_keys for update to app_private using (true) with check (true);
-- A rotation is a person's act: audited.
create trigger workflow_webhook_keys_audit after insert or update on public.workflow_webhook_keys
  for each row execute function private.audit_row('tenant_id', 'workflow_id');

-- 2. Column integrity of workflows ----------------------------------------------------------------
alter table public.workflows alter column trigger_kind set default 'manual';
revoke update (trigger_kind, current_version) on public.workflows from authenticated;
grant update (trigger_kind, current_version) on public.workflows to app_private;
create policy workflows_update_app_private on public.workflows for update to app_private using (true) with check (true);

-- The inserted version becomes current, its trigger the workflow's trigger_kind. Versions come
-- in order (1, then current + 1): a direct insert cannot roll a workflow back or skip ahead.
create function private.advance_workflow_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.workflows w set current_version = new.version, trigger_kind = new.trigger ->> 'type'
  where w.tenant_id = new.tenant_id and w.id = new.workflow_id
    and (w.current_version = new.version - 1 or (new.version = 1 and w.current_version = 1));
  if not found then
    raise exception 'workflow_version_out_of_order' using errcode = 'AO409';
  end if;
  return null;
end $$;
alter function private.advance_workflow_version() owner to app_private;
revoke all on function private.advance_workflow_version() from public;
create trigger workflow_versions_advance after insert on public.workflow_versions
  for each row execute function private.advance_workflow_version();

-- A new workflow is inert until its first version names the trigger: whatever trigger_kind an
-- insert gives (the column stays in the insert grant, so older callers keep working) is replaced.
create function private.new_workflow_is_manual() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.trigger_kind := 'manual';
  new.current_version := 1;
  return new;
end $$;
revoke all on function private.new_workflow_is_manual() from public;
create trigger workflows_new_is_manual before insert on public.workflows
  for each row execute function private.new_workflow_is_manual();

-- Rotation (automation.manage, own tenant): the new generation, and until when the previous one
-- still verifies. No row: no such workflow there.
create function private.workflow_rotate_webhook_secret(p_workflow uuid)
returns table (generation int, previous_valid_until timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
begin
  if tenant is null or not private.has_permission('automation.manage') then
    raise exception 'forbidden' using errcode = 'AO403';
  end if;
  if not exists (select 1 from public.workflows w where w.tenant_id = tenant and w.id = p_workflow) then
    return;
  end if;
  return query
    insert into public.workflow_webhook_keys as k (tenant_id, workflow_id, generation, previous_valid_until, rotated_by)
    values (tenant, p_workflow, 1, clock_timestamp() + interval '24 hours', private.current_user_id())
    on conflict (tenant_id, workflow_id) do update
      set generation = k.generation + 1, previous_valid_until = excluded.previous_valid_until,
          rotated_by = excluded.rotated_by, rotated_at = now()
    returning k.generation, k.previous_valid_until;
end $$;

-- The current generation, for GET …/webhook (automation.manage). Null: no such workflow.
create function private.workflow_webhook_generation(p_workflow uuid) returns int
language sql stable security definer set search_path = '' as $$
  select coalesce(k.generation, 0) from public.workflows w
  left join public.workflow_webhook_keys k on k.tenant_id = w.tenant_id and k.workflow_id = w.id
  where w.tenant_id = private.current_tenant() and w.id = p_workflow and private.has_permission('automation.manage')
$$;

drop function private.workflow_webhook_target(uuid);
create function private.workflow_webhook_target(p_workflow uuid)
returns table (tenant_id uuid, active boolean, generation int, previous_valid_until timestamptz)
language sql stable security definer set search_path = '' as $$
  select w.tenant_id, w.active, coalesce(k.generation, 0), k.previous_valid_until from public.workflows w
  join public.tenants t on t.id = w.tenant_id and t.status = 'active'
  left join public.workflow_webhook_keys k on k.tenant_id = w.tenant_id and k.workflow_id = w.id
  where w.id = p_workflow and w.trigger_kind = 'webhook'
$$;
alter function private.workflow_rotate_webhook_secret(uuid) owner to app_private;
alter function private.workflow_webhook_generation(uuid) owner to app_private;
alter function private.workflow_webhook_target(uuid) owner to app_private;
revoke all on function private.workflow_rotate_webhook_secret(uuid), private.workflow_webhook_generation(uuid),
  private.workflow_webhook_target(uuid) from public;
grant execute on function private.workflow_rotate_webhook_secret(uuid), private.workflow_webhook_generation(uuid) to authenticated;
grant execute on function private.workflow_webhook_target(uuid) to office_jobs;

-- 2. Column integrity of webhook endpoints ----------------------------------------------------------
revoke update (disabled_at, consecutive_failures, secret_rotated_at) on public.webhook_endpoints from authenticated;
grant update (secret_rotated_at) on public.webhook_endpoints to app_private;

-- Enabling clears the failure count and when it was disabled; disabling records when.
create function private.webhook_endpoint_state() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.enabled and not old.enabled then
    new.consecutive_failures := 0;
    new.disabled_at := null;
  elsif old.enabled and not new.enabled and new.disabled_at is not distinct from old.disabled_at then
    new.disabled_at := clock_timestamp();
  end if;
  return new;
end $$;
revoke all on function private.webhook_endpoint_state() from public;
create trigger webhook_endpoints_state before update of enabled on public.webhook_endpoints
  for each row execute function private.webhook_endpoint_state();

-- Re-enabling (webhooks.manage): the failure count starts again, also for an endpoint that was
-- still enabled. False: no such endpoint there.
create function private.enable_webhook_endpoint(p_endpoint uuid) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
begin
  if tenant is null or not private.has_permission('webhooks.manage') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  update public.webhook_endpoints e set enabled = true, disabled_reason = null, disabled_at = null, consecutive_failures = 0
  where e.tenant_id = tenant and e.id = p_endpoint;
  return found;
end $$;
alter function private.enable_webhook_endpoint(uuid) owner to app_private;
revoke all on function private.enable_webhook_endpoint(uuid) from public;
grant execute on function private.enable_webhook_endpoint(uuid) to authenticated;

-- 4. Encrypted outbound secrets: `enc:v1:<key id>:<base64 of iv ‖ AES-GCM ciphertext>` from the
-- Worker, or a legacy plaintext whsec_… written before this migration.
alter table public.webhook_secrets drop constraint webhook_secrets_secret_check;
alter table public.webhook_secrets add constraint webhook_secrets_secret_check
  check (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$' or secret ~ '^enc:v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2}$');

-- Sets or replaces an endpoint's secret; a replacement (rotation) stamps secret_rotated_at.
create or replace function private.set_webhook_secret(p_endpoint uuid, p_secret text) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
  existed boolean;
begin
  if tenant is null or not private.has_permission('webhooks.manage') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  if not exists (select 1 from public.webhook_endpoints e where e.tenant_id = tenant and e.id = p_endpoint) then
    return false;
  end if;
  existed := exists (select 1 from public.webhook_secrets s where s.tenant_id = tenant and s.endpoint_id = p_endpoint);
  insert into public.webhook_secrets (tenant_id, endpoint_id, secret) values (tenant, p_endpoint, p_secret)
  on conflict (tenant_id, endpoint_id) do update set secret = excluded.secret, created_at = now();
  if existed then
    update public.webhook_endpoints e set secret_rotated_at = clock_timestamp() where e.tenant_id = tenant and e.id = p_endpoint;
  end if;
  return true;
end $$;

-- 3. Payloads and outputs by readable event types ---------------------------------------------------
revoke select on public.workflow_executions, public.workflow_execution_steps from authenticated;
grant select (tenant_id, id, workflow_id, version, status, trigger_kind, trigger_id, step_count, current_step, created_by,
  created_at, started_at, finished_at, error) on public.workflow_executions to authenticated;
grant select (tenant_id, execution_id, step_index, action, status, attempts, input, last_error, started_at, finished_at,
  next_attempt_at) on public.workflow_execution_steps to authenticated;

-- The rule: an execution started by a domain event shows its trigger payload only to a reader
-- who may read that event type in the event log (private.readable_event_types()); other
-- triggers' payloads (a manual run's body, a webhook's body, a schedule's fire time) to every
-- automation reader. Step outputs can repeat the trigger's data and hold what data actions
-- read tenant-wide, so they show only where the payload shows and the reader also holds
-- appointments.read_all and tasks.read_all. No row: not visible to the caller.
create function private.workflow_execution_data(p_execution uuid)
returns table (trigger_payload jsonb, outputs jsonb)
language sql stable security definer set search_path = '' as $$
  select case when v.visible then e.trigger_payload end,
    case when v.visible and private.has_permission('appointments.read_all') and private.has_permission('tasks.read_all') then
      coalesce((select jsonb_agg(s.output order by s.step_index) from public.workflow_execution_steps s
                where s.tenant_id = e.tenant_id and s.execution_id = e.id), '[]'::jsonb)
    end
  from public.workflow_executions e
  cross join lateral (select e.trigger_kind <> 'event'
      or coalesce(e.trigger_payload ->> 'event', '') = any ((private.readable_event_types())::text[]) as visible) v
  where e.tenant_id = private.current_tenant() and e.id = p_execution and private.may_read_automation()
$$;
alter function private.workflow_execution_data(uuid) owner to app_private;
revoke all on function private.workflow_execution_data(uuid) from public;
grant execute on function private.workflow_execution_data(uuid) to authenticated;

-- 5. Quota refusals ---------------------------------------------------------------------------------
alter table public.workflow_executions drop constraint workflow_executions_status_check;
alter table public.workflow_executions add constraint workflow_executions_status_check
  check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'refused'));

-- The step job, before the first step's first claim: the tenant's plan (for its quota), then,
-- over quota, the refusal: the execution is `refused` with the reason and no step runs. Only a
-- queued execution that has not started is refused (a duplicate delivery is a no-op).
create function private.workflow_tenant_plan(p_tenant uuid) returns text
language sql stable security definer set search_path = '' as $$
  select t.plan from public.tenants t where t.id = p_tenant
$$;
create function private.workflow_refuse(p_tenant uuid, p_execution uuid, p_reason text) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.workflow_executions e set status = 'refused', error = left(p_reason, 1000), finished_at = now()
  where e.tenant_id = p_tenant and e.id = p_execution and e.status = 'queued' and e.current_step = 0;
  if not found then
    return false;
  end if;
  update public.workflow_execution_steps s set status = 'cancelled'
  where s.tenant_id = p_tenant and s.execution_id = p_execution and s.status = 'pending';
  return true;
end $$;
alter function private.workflow_tenant_plan(uuid) owner to app_private;
alter function private.workflow_refuse(uuid, uuid, text) owner to app_private;
revoke all on function private.workflow_tenant_plan(uuid), private.workflow_refuse(uuid, uuid, text) from public;
grant execute on function private.workflow_tenant_plan(uuid), private.workflow_refuse(uuid, uuid, text) to office_jobs;
