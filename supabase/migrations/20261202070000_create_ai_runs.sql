-- AI worker runs (issue 14, items 3–6): runs as durable steps in Postgres delivered by QStash
-- (job `agent-run-step`, through the job outbox: `run:{id}` for the first step, then
-- run:{id}:{step}:{attempt}), approval requests pinned to the exact arguments and the policy
-- versions, a trace row per step (input, tool calls, output, error, duration, tokens, cost), the
-- effects of the message tools, and a monthly token budget per business from its plan.
--
-- Who writes what:
--   * nobody writes these tables under RLS: a request starts a run through private.ai_run_start()
--     (ai.manage) and decides an approval through private.ai_approval_decide() (ai.approve); the
--     step job (office_jobs) claims and finishes steps through the functions below;
--   * tools act only inside the run's tenant, through narrow security-definer functions, each
--     checking the objects it touches belong to that tenant; a risky call (or any call under
--     `manual`) runs only with an approval whose policy versions are still current, and then with
--     the approval's stored arguments, never the model's second thoughts.

-- The plan's monthly token budget (tokens in + out). Mirrors shared/plans.ts (a test checks).
alter table public.plans add column monthly_token_budget bigint not null default 0 check (monthly_token_budget >= 0);
update public.plans set monthly_token_budget = case id when 'free' then 200000 when 'pro' then 20000000 when 'enterprise' then 500000000 else 0 end;
-- (app_private reads plans since 20261202030200.)
-- The runtime reads the business's policy (approvals pin its version).
grant select on public.ai_settings to app_private;
create policy ai_settings_select_app_private on public.ai_settings for select to app_private using (true);

create table public.ai_runs (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  worker_id uuid not null,
  kind text not null check (kind ~ '^[a-z][a-z_]{1,62}$'),
  task text not null check (task ~ '^[a-z][a-z_]{1,62}$'),
  input jsonb not null check (jsonb_typeof(input) = 'object' and pg_column_size(input) <= 65536),
  status text not null default 'queued' check (status in ('queued', 'running', 'awaiting_approval', 'succeeded', 'failed', 'budget_exceeded')),
  current_step int not null default 0 check (current_step between 0 and 99),
  output jsonb,
  error_code text check (error_code ~ '^[a-z][a-z_]{1,62}$'),
  error text check (char_length(error) <= 1000),
  tokens_in bigint not null default 0 check (tokens_in >= 0),
  tokens_out bigint not null default 0 check (tokens_out >= 0),
  cost_usd numeric(14, 6) not null default 0 check (cost_usd >= 0),
  -- api:{uuid} for POST /v1/ai/workers/{id}/runs, wf:{execution}:{step} for the workflow action:
  -- a second start with the same key is the same run.
  source text not null check (source in ('api', 'workflow')),
  source_key text not null check (char_length(source_key) between 1 and 200),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, source_key),
  foreign key (tenant_id, worker_id) references public.ai_workers (tenant_id, id) on delete cascade
);
create index ai_runs_tenant_worker_idx on public.ai_runs (tenant_id, worker_id, created_at, id);

-- One row per step: a model call or one tool call. The trace of the run.
create table public.ai_run_steps (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  run_id uuid not null,
  step_index int not null check (step_index between 0 and 99),
  kind text not null check (kind in ('model', 'tool')),
  status text not null default 'pending' check (status in ('pending', 'running', 'retrying', 'awaiting_approval', 'succeeded', 'failed', 'rejected', 'cancelled')),
  attempts int not null default 0 check (attempts >= 0),
  -- model: {estimatedTokens}; tool: {callId, name, args, risks, records}.
  input jsonb,
  -- model: the tool calls the model proposed, as it sent them ({id, name, arguments}).
  tool_calls jsonb,
  -- model: {content}; tool: the tool's result.
  output jsonb,
  error_code text check (error_code ~ '^[a-z][a-z_]{1,62}$'),
  error text check (char_length(error) <= 1000),
  tokens_in int not null default 0 check (tokens_in >= 0),
  tokens_out int not null default 0 check (tokens_out >= 0),
  cost_usd numeric(14, 6) not null default 0 check (cost_usd >= 0),
  reserved_tokens int not null default 0 check (reserved_tokens >= 0),
  budget_month date,
  duration_ms int check (duration_ms >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  next_attempt_at timestamptz,
  primary key (tenant_id, run_id, step_index),
  foreign key (tenant_id, run_id) references public.ai_runs (tenant_id, id) on delete cascade
);

create table public.ai_approvals (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  run_id uuid not null,
  step_index int not null,
  worker_id uuid not null,
  tool_name text not null check (tool_name ~ '^[a-z][a-z_]{1,62}$'),
  -- The exact arguments, and sha256 of their canonical text (jsonb's normalized form).
  arguments jsonb not null,
  arguments_hash text not null check (arguments_hash ~ '^[0-9a-f]{64}$'),
  risks text[] not null default '{}',
  execution_policy text not null check (execution_policy in ('autonomous', 'hybrid', 'manual')),
  -- ai_settings.policy_version (0: the business never set a policy) and the worker's
  -- policy_version when requested: a decision under other versions voids the approval.
  settings_policy_version int not null,
  worker_policy_version int not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'void', 'executed')),
  decided_by uuid references auth.users (id) on delete set null,
  decided_at timestamptz,
  reason text check (char_length(reason) <= 500),
  executed_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, run_id, step_index),
  foreign key (tenant_id, run_id, step_index) references public.ai_run_steps (tenant_id, run_id, step_index) on delete cascade
);
create index ai_approvals_tenant_created_idx on public.ai_approvals (tenant_id, created_at, id);

-- Drafts (draft_message) and messages to customers (send_customer_message), one per tool step.
create table public.ai_messages (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  run_id uuid not null,
  step_index int not null,
  kind text not null check (kind in ('draft', 'customer_message')),
  recipient_kind text not null check (recipient_kind in ('customer', 'member')),
  recipient_id uuid not null,
  subject text not null check (char_length(subject) between 1 and 200),
  body text not null check (char_length(body) between 1 and 4000),
  -- customer_message: queued for the business's outbound channel; draft: for a person to review.
  status text not null check (status in ('draft', 'queued')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, run_id, step_index),
  foreign key (tenant_id, run_id, step_index) references public.ai_run_steps (tenant_id, run_id, step_index) on delete cascade
);
create index ai_messages_tenant_created_idx on public.ai_messages (tenant_id, created_at, id);

-- Tokens reserved by model calls in flight and used by finished ones, per business and month.
create table public.ai_token_budgets (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  reserved bigint not null default 0 check (reserved >= 0),
  used bigint not null default 0 check (used >= 0),
  primary key (tenant_id, month)
);

revoke all on public.ai_runs, public.ai_run_steps, public.ai_approvals, public.ai_messages, public.ai_token_budgets from anon, authenticated;
grant select on public.ai_runs, public.ai_run_steps, public.ai_approvals, public.ai_messages, public.ai_token_budgets to authenticated;
grant select, insert, update on public.ai_runs, public.ai_run_steps, public.ai_approvals, public.ai_token_budgets to app_private;
grant select, insert on public.ai_messages to app_private;
grant insert, update (title, description, status, assigned_to, customer_id, due_at, deleted_at, deleted_by) on public.tasks to app_private;
create policy tasks_insert_app_private on public.tasks for insert to app_private with check (true);
create policy tasks_update_app_private on public.tasks for update to app_private using (true) with check (true);

alter table public.ai_runs enable row level security;
alter table public.ai_runs force row level security;
alter table public.ai_run_steps enable row level security;
alter table public.ai_run_steps force row level security;
alter table public.ai_approvals enable row level security;
alter table public.ai_approvals force row level security;
alter table public.ai_messages enable row level security;
alter table public.ai_messages force row level security;
alter table public.ai_token_budgets enable row level security;
alter table public.ai_token_budgets force row level security;

create policy ai_runs_select_ai_read on public.ai_runs for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_runs_insert_never on public.ai_runs for insert to authenticated with check (false);
create policy ai_runs_update_never on public.ai_runs for update to authenticated using (false);
create policy ai_runs_delete_never on public.ai_runs for delete to authenticated using (false);
create policy ai_runs_select_app_private on public.ai_runs for select to app_private using (true);
create policy ai_runs_insert_app_private on public.ai_runs for insert to app_private with check (true);
create policy ai_runs_update_app_private on public.ai_runs for update to app_private using (true) with check (true);

create policy ai_run_steps_select_ai_read on public.ai_run_steps for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_run_steps_insert_never on public.ai_run_steps for insert to authenticated with check (false);
create policy ai_run_steps_update_never on public.ai_run_steps for update to authenticated using (false);
create policy ai_run_steps_delete_never on public.ai_run_steps for delete to authenticated using (false);
create policy ai_run_steps_select_app_private on public.ai_run_steps for select to app_private using (true);
create policy ai_run_steps_insert_app_private on public.ai_run_steps for insert to app_private with check (true);
create policy ai_run_steps_update_app_private on public.ai_run_steps for update to app_private using (true) with check (true);

create policy ai_approvals_select_ai_read on public.ai_approvals for select to authenticated
  using (tenant_id = (select private.current_tenant()) and ((select private.has_permission('ai.read')) or (select private.has_permission('ai.approve'))));
create policy ai_approvals_insert_never on public.ai_approvals for insert to authenticated with check (false);
create policy ai_approvals_update_never on public.ai_approvals for update to authenticated using (false);
create policy ai_approvals_delete_never on public.ai_approvals for delete to authenticated using (false);
create policy ai_approvals_select_app_private on public.ai_approvals for select to app_private using (true);
create policy ai_approvals_insert_app_private on public.ai_approvals for insert to app_private with check (true);
create policy ai_approvals_update_app_private on public.ai_approvals for update to app_private using (true) with check (true);

create policy ai_messages_select_ai_read on public.ai_messages for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_messages_insert_never on public.ai_messages for insert to authenticated with check (false);
create policy ai_messages_update_never on public.ai_messages for update to authenticated using (false);
create policy ai_messages_delete_never on public.ai_messages for delete to authenticated using (false);
create policy ai_messages_select_app_private on public.ai_messages for select to app_private using (true);
create policy ai_messages_insert_app_private on public.ai_messages for insert to app_private with check (true);

create policy ai_token_budgets_select_ai_read on public.ai_token_budgets for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('ai.read')));
create policy ai_token_budgets_insert_never on public.ai_token_budgets for insert to authenticated with check (false);
create policy ai_token_budgets_update_never on public.ai_token_budgets for update to authenticated using (false);
create policy ai_token_budgets_delete_never on public.ai_token_budgets for delete to authenticated using (false);
create policy ai_token_budgets_select_app_private on public.ai_token_budgets for select to app_private using (true);
create policy ai_token_budgets_insert_app_private on public.ai_token_budgets for insert to app_private with check (true);
create policy ai_token_budgets_update_app_private on public.ai_token_budgets for update to app_private using (true) with check (true);

create trigger ai_runs_audit after insert or update or delete on public.ai_runs
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger ai_approvals_audit after insert or update or delete on public.ai_approvals
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger ai_messages_audit after insert or update or delete on public.ai_messages
  for each row execute function private.audit_row('tenant_id', 'id');

-- The job of a step: run:{id} for the first, run:{id}:{step}:{attempt} after.
create function private.ai_run_enqueue_step(p_tenant uuid, p_run uuid, p_step int, p_attempt int, p_not_before timestamptz)
returns void language sql volatile security definer set search_path = '' as $$
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, 'agent-run-step',
          case when p_step = 0 and p_attempt = 1 then format('run:%s', p_run) else format('run:%s:%s:%s', p_run, p_step, p_attempt) end,
          jsonb_build_object('tenantId', p_tenant, 'runId', p_run, 'stepIndex', p_step, 'attempt', p_attempt),
          p_not_before)
  on conflict (dedupe_id) do nothing
$$;

-- Starts a run of an active worker, once per source key: the run, its first (model) step and the
-- step's job, in one transaction. Input is validated by the Worker against the contract first.
create function private.ai_run_create(p_tenant uuid, p_worker uuid, p_task text, p_input jsonb, p_source text, p_source_key text, p_actor uuid)
returns uuid language plpgsql volatile security definer set search_path = '' as $$
declare
  w public.ai_workers;
  run_id uuid;
begin
  select * into w from public.ai_workers x where x.tenant_id = p_tenant and x.id = p_worker;
  if not found then
    raise exception 'not_found' using errcode = 'AO404';
  end if;
  select r.id into run_id from public.ai_runs r where r.tenant_id = p_tenant and r.source_key = p_source_key;
  if found then
    return run_id;
  end if;
  if w.status <> 'active' then
    raise exception 'worker_not_active' using errcode = 'AO409', detail = w.status;
  end if;
  insert into public.ai_runs (tenant_id, worker_id, kind, task, input, source, source_key, created_by)
  values (p_tenant, p_worker, w.kind, p_task, p_input, p_source, p_source_key, p_actor)
  returning id into run_id;
  insert into public.ai_run_steps (tenant_id, run_id, step_index, kind) values (p_tenant, run_id, 0, 'model');
  perform private.ai_run_enqueue_step(p_tenant, run_id, 0, 1, now());
  return run_id;
end $$;

-- POST /v1/ai/workers/{id}/runs: ai.manage in the caller's tenant. p_inputs holds the input
-- validated against the task's contract for each worker kind it is valid for (the Worker checks
-- every kind, so the request stays one statement): the worker's own kind picks it. No row: no such
-- worker here (404). run_id null: the input is not valid for this worker's kind (the caller says
-- why, from `kind`), or the worker is not active (`status`); nothing was written.
create function private.ai_run_start(p_worker uuid, p_task text, p_inputs jsonb, p_source_key text)
returns table (run_id uuid, kind text, status text)
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
  w public.ai_workers;
begin
  if tenant is null or not private.has_permission('ai.manage') then
    raise exception 'forbidden' using errcode = 'AO403';
  end if;
  select * into w from public.ai_workers x where x.tenant_id = tenant and x.id = p_worker;
  if not found then
    return;
  end if;
  if p_inputs -> w.kind is null or jsonb_typeof(p_inputs -> w.kind) <> 'object' or w.status <> 'active' then
    return query select null::uuid, w.kind, w.status;
    return;
  end if;
  return query select private.ai_run_create(tenant, p_worker, p_task, p_inputs -> w.kind, 'api', p_source_key, private.current_user_id()), w.kind, w.status;
end $$;

-- The workflow action create_agent_task (a job): once per workflow step.
create function private.ai_run_start_job(p_tenant uuid, p_worker uuid, p_task text, p_input jsonb, p_source_key text)
returns uuid language sql volatile security definer set search_path = '' as $$
  select private.ai_run_create(p_tenant, p_worker, p_task, p_input, 'workflow', p_source_key,
    (select e.created_by from public.workflow_executions e where e.tenant_id = p_tenant and e.id::text = split_part(p_source_key, ':', 2)))
$$;

-- The worker kind of a run's worker, for the Worker to validate a workflow action's input.
create function private.ai_worker_kind(p_tenant uuid, p_worker uuid)
returns table (kind text, status text) language sql stable security definer set search_path = '' as $$
  select w.kind, w.status from public.ai_workers w where w.tenant_id = p_tenant and w.id = p_worker
$$;

-- Settles a step's reservation: what it reserved is released, what it used is counted.
create function private.ai_budget_settle(p_tenant uuid, p_month date, p_reserved int, p_used int)
returns void language sql volatile security definer set search_path = '' as $$
  update public.ai_token_budgets b set reserved = greatest(b.reserved - p_reserved, 0), used = b.used + p_used
  where b.tenant_id = p_tenant and b.month = p_month
$$;

-- Fails a run (and cancels its pending steps).
create function private.ai_run_fail(p_tenant uuid, p_run uuid, p_status text, p_code text, p_error text)
returns void language sql volatile security definer set search_path = '' as $$
  update public.ai_runs r set status = p_status, error_code = p_code, error = left(p_error, 1000), finished_at = now()
  where r.tenant_id = p_tenant and r.id = p_run;
  update public.ai_run_steps s set status = 'cancelled'
  where s.tenant_id = p_tenant and s.run_id = p_run and s.status in ('pending', 'retrying', 'awaiting_approval');
  update public.ai_approvals a set status = 'void', decided_at = coalesce(a.decided_at, now())
  where a.tenant_id = p_tenant and a.run_id = p_run and a.status = 'pending';
$$;

-- Whether a call needs approval under the current policy, and the versions that decided it.
create function private.ai_approval_need(p_tenant uuid, p_worker uuid, p_risks text[], p_records int)
returns table (needed boolean, policy text, risks text[], settings_version int, worker_version int)
language sql stable security definer set search_path = '' as $$
  with p as (
    select coalesce(w.execution_policy, s.execution_policy, 'hybrid') as policy,
           coalesce(s.bulk_threshold, 25) as threshold,
           coalesce(s.policy_version, 0) as settings_version, w.policy_version as worker_version
    from public.ai_workers w
    left join public.ai_settings s on s.tenant_id = w.tenant_id
    where w.tenant_id = p_tenant and w.id = p_worker
  ), r as (
    select p.*, coalesce(p_risks, '{}') || case when p_records is not null and p_records > p.threshold then array['bulk'] else '{}'::text[] end as all_risks from p
  )
  select r.policy = 'manual' or (r.policy = 'hybrid' and cardinality(r.all_risks) > 0), r.policy, r.all_risks, r.settings_version, r.worker_version from r
$$;

-- The tools. Each acts only in p_tenant, on objects of that tenant; a missing or foreign object
-- is a result the model reads ({"error": …}), not an exception. p_actor is the member the run
-- acts for (the approver for an approved action, else who started the run).
create function private.ai_tool_exec(p_tenant uuid, p_run uuid, p_step int, p_actor uuid, p_name text, p_args jsonb)
returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
  lim int := least(greatest(coalesce((p_args ->> 'limit')::int, 50), 1), 200);
  row_id uuid;
  result jsonb;
begin
  case p_name
  when 'find_customer_history' then
    select jsonb_build_object('customer', jsonb_build_object('id', c.id, 'name', c.name),
      'appointments', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'status', a.status, 'startsAt', a.starts_at) order by a.starts_at desc)
        from (select * from public.appointments a where a.tenant_id = p_tenant and a.customer_id = c.id order by a.starts_at desc limit lim) a), '[]'),
      'tasks', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'status', t.status, 'dueAt', t.due_at) order by t.created_at desc)
        from (select * from public.tasks t where t.tenant_id = p_tenant and t.customer_id = c.id and t.deleted_at is null order by t.created_at desc limit lim) t), '[]'))
    into result
    from public.customers c where c.tenant_id = p_tenant and c.id = (p_args ->> 'customerId')::uuid;
    return coalesce(result, '{"error": "customer_not_found"}');
  when 'list_open_tasks' then
    if not exists (select 1 from public.memberships m where m.tenant_id = p_tenant and m.user_id = (p_args ->> 'assigneeId')::uuid and m.active) then
      return '{"error": "member_not_found"}';
    end if;
    return jsonb_build_object('tasks', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'status', t.status, 'dueAt', t.due_at) order by t.created_at, t.id)
      from (select * from public.tasks t where t.tenant_id = p_tenant and t.assigned_to = (p_args ->> 'assigneeId')::uuid and t.deleted_at is null
              and t.status in ('open', 'in_progress', 'blocked') order by t.created_at, t.id limit lim) t), '[]'));
  when 'create_task' then
    if p_args ? 'assigneeId' and not exists (select 1 from public.memberships m where m.tenant_id = p_tenant and m.user_id = (p_args ->> 'assigneeId')::uuid and m.active) then
      return '{"error": "member_not_found"}';
    end if;
    if p_args ? 'customerId' and not exists (select 1 from public.customers c where c.tenant_id = p_tenant and c.id = (p_args ->> 'customerId')::uuid) then
      return '{"error": "customer_not_found"}';
    end if;
    insert into public.tasks (tenant_id, title, description, assigned_to, customer_id, due_at, created_by)
    values (p_tenant, p_args ->> 'title', p_args ->> 'description', (p_args ->> 'assigneeId')::uuid, (p_args ->> 'customerId')::uuid, (p_args ->> 'dueAt')::timestamptz, p_actor)
    returning id into row_id;
    return jsonb_build_object('taskId', row_id);
  when 'delete_task' then
    update public.tasks t set deleted_at = now(), deleted_by = p_actor
    where t.tenant_id = p_tenant and t.id = (p_args ->> 'taskId')::uuid and t.deleted_at is null
    returning t.id into row_id;
    return case when row_id is null then '{"error": "task_not_found"}'::jsonb else jsonb_build_object('deleted', row_id) end;
  when 'draft_message', 'send_customer_message' then
    if (p_name = 'send_customer_message' or p_args ->> 'to' = 'customer')
       and not exists (select 1 from public.customers c where c.tenant_id = p_tenant and c.id = coalesce(p_args ->> 'customerId', p_args ->> 'recipientId')::uuid) then
      return '{"error": "customer_not_found"}';
    end if;
    if p_name = 'draft_message' and p_args ->> 'to' = 'member'
       and not exists (select 1 from public.memberships m where m.tenant_id = p_tenant and m.user_id = (p_args ->> 'recipientId')::uuid and m.active) then
      return '{"error": "member_not_found"}';
    end if;
    insert into public.ai_messages (tenant_id, run_id, step_index, kind, recipient_kind, recipient_id, subject, body, status)
    values (p_tenant, p_run, p_step, case p_name when 'draft_message' then 'draft' else 'customer_message' end,
            coalesce(p_args ->> 'to', 'customer'), coalesce(p_args ->> 'customerId', p_args ->> 'recipientId')::uuid,
            p_args ->> 'subject', p_args ->> 'body', case p_name when 'draft_message' then 'draft' else 'queued' end)
    returning id into row_id;
    return jsonb_build_object(case p_name when 'draft_message' then 'draftId' else 'messageId' end, row_id);
  else
    return jsonb_build_object('error', 'tool_not_available');
  end case;
end $$;

-- Claims a step for one delivery: only the run's current step, only the expected attempt, only
-- once (a running claim is taken over only after it went stale). A model step is handed to the
-- Worker (outcome 'claimed', with the run's context and the trace so far); a tool step is run
-- here, whole, in this transaction: approval check, the tool, its result and the next step.
-- 'claimed' | 'next' | 'awaiting_approval' | 'failed' | 'noop'.
create function private.ai_run_claim(p_tenant uuid, p_run uuid, p_step int, p_attempt int)
returns table (outcome text, kind text, context jsonb)
language plpgsql volatile security definer set search_path = '' as $$
declare
  r public.ai_runs;
  w public.ai_workers;
  s public.ai_run_steps;
  ap public.ai_approvals;
  need record;
  actor uuid;
  args jsonb;
  result jsonb;
begin
  select * into r from public.ai_runs x
  where x.tenant_id = p_tenant and x.id = p_run and x.status in ('queued', 'running', 'awaiting_approval') and x.current_step = p_step
  for update;
  if not found then
    return query select 'noop', null::text, null::jsonb;
    return;
  end if;
  select * into s from public.ai_run_steps x where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step;
  select * into ap from public.ai_approvals a where a.tenant_id = p_tenant and a.run_id = p_run and a.step_index = p_step;
  if not ((s.status = 'pending' and p_attempt = 1)
       or (s.status = 'retrying' and s.attempts = p_attempt - 1)
       or (s.status = 'awaiting_approval' and ap.status = 'approved' and s.attempts = p_attempt - 1)
       or (s.status = 'running' and s.attempts = p_attempt and s.started_at < now() - interval '5 minutes')) then
    return query select 'noop', s.kind, null::jsonb;
    return;
  end if;
  select * into w from public.ai_workers x where x.tenant_id = p_tenant and x.id = r.worker_id;
  if w.status <> 'active' then
    perform private.ai_run_fail(p_tenant, p_run, 'failed', 'worker_not_active', format('the worker is %s', w.status));
    return query select 'failed', s.kind, jsonb_build_object('errorCode', 'worker_not_active');
    return;
  end if;
  update public.ai_runs x set status = 'running', started_at = coalesce(x.started_at, now()) where x.tenant_id = p_tenant and x.id = p_run;

  if s.kind = 'model' then
    update public.ai_run_steps x set status = 'running', attempts = p_attempt, started_at = now(), finished_at = null
    where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step;
    return query select 'claimed', 'model', jsonb_build_object(
      'workerKind', w.kind, 'workerName', w.name, 'workerConfig', w.config, 'task', r.task, 'input', r.input,
      'history', coalesce((select jsonb_agg(jsonb_build_object('stepIndex', h.step_index, 'kind', h.kind, 'status', h.status, 'input', h.input,
                  'toolCalls', h.tool_calls, 'output', h.output, 'errorCode', h.error_code) order by h.step_index)
                from public.ai_run_steps h where h.tenant_id = p_tenant and h.run_id = p_run and h.step_index < p_step), '[]'));
    return;
  end if;

  -- A tool step.
  args := s.input -> 'args';
  if ap.id is null then
    select * into need from private.ai_approval_need(p_tenant, w.id, array(select jsonb_array_elements_text(coalesce(s.input -> 'risks', '[]'))), (s.input ->> 'records')::int);
    if need.needed then
      insert into public.ai_approvals (tenant_id, run_id, step_index, worker_id, tool_name, arguments, arguments_hash, risks, execution_policy, settings_policy_version, worker_policy_version)
      values (p_tenant, p_run, p_step, w.id, s.input ->> 'name', args, encode(pg_catalog.sha256(convert_to(args::text, 'UTF8')), 'hex'), need.risks, need.policy, need.settings_version, need.worker_version);
      update public.ai_run_steps x set status = 'awaiting_approval', attempts = p_attempt, started_at = now()
      where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step;
      update public.ai_runs x set status = 'awaiting_approval' where x.tenant_id = p_tenant and x.id = p_run;
      return query select 'awaiting_approval', 'tool', jsonb_build_object('approvalId', (select a.id from public.ai_approvals a where a.tenant_id = p_tenant and a.run_id = p_run and a.step_index = p_step));
      return;
    end if;
    actor := r.created_by;
  else
    -- Approved: exactly the stored arguments, and only while both policy versions still hold.
    select * into need from private.ai_approval_need(p_tenant, w.id, ap.risks, null);
    if (need.settings_version, need.worker_version) is distinct from (ap.settings_policy_version, ap.worker_policy_version) then
      update public.ai_approvals a set status = 'void' where a.tenant_id = p_tenant and a.id = ap.id;
      perform private.ai_run_fail(p_tenant, p_run, 'failed', 'approval_void', 'the execution policy changed after the action was approved; nothing was executed');
      return query select 'failed', 'tool', jsonb_build_object('errorCode', 'approval_void');
      return;
    end if;
    if encode(pg_catalog.sha256(convert_to(ap.arguments::text, 'UTF8')), 'hex') <> ap.arguments_hash then
      perform private.ai_run_fail(p_tenant, p_run, 'failed', 'approval_tampered', 'the approved arguments do not match their hash');
      return query select 'failed', 'tool', jsonb_build_object('errorCode', 'approval_tampered');
      return;
    end if;
    args := ap.arguments;
    actor := ap.decided_by;
  end if;
  -- The member the run acts for must still be an active member here (else the run's creator's
  -- rights are gone): fall back to no one, and the tool that needs a creator fails.
  if actor is null or not exists (select 1 from public.memberships m where m.tenant_id = p_tenant and m.user_id = actor and m.active) then
    actor := (select w2.created_by from public.ai_workers w2 join public.memberships m on m.tenant_id = w2.tenant_id and m.user_id = w2.created_by and m.active
              where w2.tenant_id = p_tenant and w2.id = w.id);
  end if;
  if actor is null and s.input ->> 'name' in ('create_task', 'delete_task') then
    result := '{"error": "no_acting_member"}';
  else
    result := private.ai_tool_exec(p_tenant, p_run, p_step, actor, s.input ->> 'name', args);
  end if;
  update public.ai_run_steps x set status = 'succeeded', attempts = p_attempt, output = result, started_at = coalesce(x.started_at, now()), finished_at = now(),
    duration_ms = (extract(epoch from clock_timestamp() - coalesce(x.started_at, now())) * 1000)::int
  where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step;
  if ap.id is not null then
    update public.ai_approvals a set status = 'executed', executed_at = now() where a.tenant_id = p_tenant and a.id = ap.id;
  end if;
  perform private.ai_run_advance(p_tenant, p_run, p_step);
  return query select 'next', 'tool', jsonb_build_object('result', result);
end $$;

-- After a tool step: the next tool step of the same model turn, else the next model turn.
create function private.ai_run_advance(p_tenant uuid, p_run uuid, p_step int)
returns void language plpgsql volatile security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.ai_run_steps s where s.tenant_id = p_tenant and s.run_id = p_run and s.step_index = p_step + 1) then
    if p_step + 1 > 99 then
      perform private.ai_run_fail(p_tenant, p_run, 'failed', 'step_limit', 'the run reached its step limit');
      return;
    end if;
    insert into public.ai_run_steps (tenant_id, run_id, step_index, kind) values (p_tenant, p_run, p_step + 1, 'model');
  end if;
  update public.ai_runs r set current_step = p_step + 1, status = 'running' where r.tenant_id = p_tenant and r.id = p_run;
  perform private.ai_run_enqueue_step(p_tenant, p_run, p_step + 1, 1, now());
end $$;

-- Reserves a model call's estimated tokens against the month's budget before the call.
-- 'reserved' | 'exceeded' (the run stops as budget_exceeded; no call) | 'noop'.
create function private.ai_budget_reserve(p_tenant uuid, p_run uuid, p_step int, p_attempt int, p_estimate int)
returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  m date := date_trunc('month', now() at time zone 'UTC')::date;
  budget bigint;
  b public.ai_token_budgets;
  st public.ai_run_steps;
begin
  select * into st from public.ai_run_steps s where s.tenant_id = p_tenant and s.run_id = p_run and s.step_index = p_step
    and s.kind = 'model' and s.status = 'running' and s.attempts = p_attempt for update;
  if not found then
    return 'noop';
  end if;
  -- A stale claim taken over (its Worker died mid-call): release what it reserved first.
  if st.budget_month is not null and st.reserved_tokens > 0 then
    perform private.ai_budget_settle(p_tenant, st.budget_month, st.reserved_tokens, 0);
  end if;
  select p.monthly_token_budget into budget from public.tenants t join public.plans p on p.id = t.plan where t.id = p_tenant;
  insert into public.ai_token_budgets (tenant_id, month) values (p_tenant, m) on conflict do nothing;
  select * into b from public.ai_token_budgets x where x.tenant_id = p_tenant and x.month = m for update;
  if b.used + b.reserved + p_estimate > coalesce(budget, 0) then
    update public.ai_run_steps s set status = 'failed', error_code = 'budget_exceeded', finished_at = now(),
      error = format('the month''s token budget (%s) is used up: %s used, %s reserved, %s needed', budget, b.used, b.reserved, p_estimate)
    where s.tenant_id = p_tenant and s.run_id = p_run and s.step_index = p_step;
    perform private.ai_run_fail(p_tenant, p_run, 'budget_exceeded', 'budget_exceeded', 'the business''s monthly token budget is used up; no model call was made');
    return 'exceeded';
  end if;
  update public.ai_token_budgets x set reserved = x.reserved + p_estimate where x.tenant_id = p_tenant and x.month = m;
  update public.ai_run_steps s set reserved_tokens = p_estimate, budget_month = m, input = jsonb_build_object('estimatedTokens', p_estimate)
  where s.tenant_id = p_tenant and s.run_id = p_run and s.step_index = p_step;
  return 'reserved';
end $$;

-- Finishes a claimed model step with what the Worker made of the answer (p_result):
--   {content, toolCalls, tokensIn, tokensOut, costUsd, durationMs} and one of
--   {calls: [{callId, name, args, risks, records}]}  → a tool step each, the first queued;
--   {output}                                           → the run succeeded with it;
--   {violation: {code, message}}                       → step and run failed, nothing executed.
-- Settles the step's reservation. 'next' | 'succeeded' | 'failed' | 'noop'.
create function private.ai_model_step_finish(p_tenant uuid, p_run uuid, p_step int, p_attempt int, p_result jsonb)
returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  s public.ai_run_steps;
  tin int := coalesce((p_result ->> 'tokensIn')::int, 0);
  tout int := coalesce((p_result ->> 'tokensOut')::int, 0);
  cost numeric := coalesce((p_result ->> 'costUsd')::numeric, 0);
  calls jsonb := p_result -> 'calls';
  n int;
begin
  select * into s from public.ai_run_steps x where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step
    and x.kind = 'model' and x.status = 'running' and x.attempts = p_attempt for update;
  if not found then
    return 'noop';
  end if;
  if s.budget_month is not null then
    perform private.ai_budget_settle(p_tenant, s.budget_month, s.reserved_tokens, tin + tout);
  end if;
  update public.ai_runs r set tokens_in = r.tokens_in + tin, tokens_out = r.tokens_out + tout, cost_usd = r.cost_usd + cost
  where r.tenant_id = p_tenant and r.id = p_run;
  update public.ai_run_steps x set
    status = case when p_result ? 'violation' then 'failed' else 'succeeded' end,
    tool_calls = p_result -> 'toolCalls', output = jsonb_build_object('content', p_result -> 'content'),
    error_code = p_result #>> '{violation,code}', error = left(p_result #>> '{violation,message}', 1000),
    tokens_in = tin, tokens_out = tout, cost_usd = cost, duration_ms = (p_result ->> 'durationMs')::int, finished_at = now(), next_attempt_at = null
  where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step;
  if p_result ? 'violation' then
    perform private.ai_run_fail(p_tenant, p_run, 'failed', p_result #>> '{violation,code}', p_result #>> '{violation,message}');
    return 'failed';
  end if;
  if calls is not null and jsonb_array_length(calls) > 0 then
    n := jsonb_array_length(calls);
    if p_step + n > 99 then
      perform private.ai_run_fail(p_tenant, p_run, 'failed', 'step_limit', 'the run reached its step limit');
      return 'failed';
    end if;
    insert into public.ai_run_steps (tenant_id, run_id, step_index, kind, input)
    select p_tenant, p_run, p_step + c.ordinality::int, 'tool', c.value from jsonb_array_elements(calls) with ordinality c;
    update public.ai_runs r set current_step = p_step + 1 where r.tenant_id = p_tenant and r.id = p_run;
    perform private.ai_run_enqueue_step(p_tenant, p_run, p_step + 1, 1, now());
    return 'next';
  end if;
  update public.ai_runs r set status = 'succeeded', output = p_result -> 'output', finished_at = now()
  where r.tenant_id = p_tenant and r.id = p_run;
  return 'succeeded';
end $$;

-- A claimed model step that failed (the provider, the network): with p_retry_at the same step is
-- queued again (attempt + 1), else the run fails with p_code. Settles the reservation.
create function private.ai_model_step_failed(p_tenant uuid, p_run uuid, p_step int, p_attempt int, p_code text, p_error text, p_retry_at timestamptz, p_tokens_in int, p_tokens_out int, p_duration_ms int)
returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  s public.ai_run_steps;
begin
  select * into s from public.ai_run_steps x where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step
    and x.kind = 'model' and x.status = 'running' and x.attempts = p_attempt for update;
  if not found then
    return 'noop';
  end if;
  if s.budget_month is not null then
    perform private.ai_budget_settle(p_tenant, s.budget_month, s.reserved_tokens, p_tokens_in + p_tokens_out);
  end if;
  update public.ai_runs r set tokens_in = r.tokens_in + p_tokens_in, tokens_out = r.tokens_out + p_tokens_out where r.tenant_id = p_tenant and r.id = p_run;
  update public.ai_run_steps x set status = case when p_retry_at is null then 'failed' else 'retrying' end,
    error_code = p_code, error = left(p_error, 1000), next_attempt_at = p_retry_at, duration_ms = p_duration_ms,
    tokens_in = x.tokens_in + p_tokens_in, tokens_out = x.tokens_out + p_tokens_out, reserved_tokens = 0,
    finished_at = case when p_retry_at is null then now() end
  where x.tenant_id = p_tenant and x.run_id = p_run and x.step_index = p_step;
  if p_retry_at is not null then
    perform private.ai_run_enqueue_step(p_tenant, p_run, p_step, p_attempt + 1, p_retry_at);
    return 'retry';
  end if;
  perform private.ai_run_fail(p_tenant, p_run, 'failed', p_code, p_error);
  return 'failed';
end $$;

-- POST /v1/ai/approvals/{id}/approve|reject (ai.approve). The same decision again is a no-op
-- that answers as the first did. A rejection also withdraws an approval whose action has not run
-- yet (its queued delivery then claims nothing); approving a rejected request, or rejecting an
-- executed one, is 'decided'. An approval
-- requested under other policy versions than the current ones becomes void (and its run fails):
-- 'void', nothing executes. Approve queues the step's next attempt (which executes the stored
-- arguments once); reject records the refusal as the tool's result and the run goes on: the
-- model is told the action was rejected.
-- 'approved' | 'rejected' | 'void' | 'decided' | 'not_found'.
create function private.ai_approval_decide(p_approval uuid, p_decision text, p_reason text)
returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
  ap public.ai_approvals;
  need record;
  s public.ai_run_steps;
begin
  if tenant is null or not private.has_permission('ai.approve') then
    raise exception 'forbidden' using errcode = 'AO403';
  end if;
  select * into ap from public.ai_approvals a where a.tenant_id = tenant and a.id = p_approval;
  if not found then
    return 'not_found';
  end if;
  -- The run's row first (the step job locks it too), then the approval.
  perform 1 from public.ai_runs r where r.tenant_id = tenant and r.id = ap.run_id for update;
  select * into ap from public.ai_approvals a where a.tenant_id = tenant and a.id = p_approval for update;
  if ap.status = 'executed' or (ap.status = 'approved' and p_decision = 'approve') then
    return case when p_decision = 'approve' then 'approved' else 'decided' end;
  elsif ap.status = 'rejected' then
    return case when p_decision = 'reject' then 'rejected' else 'decided' end;
  elsif ap.status = 'void' then
    return 'void';
  end if;
  if p_decision = 'approve' then
    select * into need from private.ai_approval_need(tenant, ap.worker_id, ap.risks, null);
    if (need.settings_version, need.worker_version) is distinct from (ap.settings_policy_version, ap.worker_policy_version) then
      update public.ai_approvals a set status = 'void', decided_by = private.current_user_id(), decided_at = now(), reason = 'the execution policy changed before the decision'
      where a.tenant_id = tenant and a.id = ap.id;
      perform private.ai_run_fail(tenant, ap.run_id, 'failed', 'approval_void', 'the execution policy changed before the approval; nothing was executed');
      return 'void';
    end if;
    update public.ai_approvals a set status = 'approved', decided_by = private.current_user_id(), decided_at = now(), reason = p_reason
    where a.tenant_id = tenant and a.id = ap.id;
    select * into s from public.ai_run_steps x where x.tenant_id = tenant and x.run_id = ap.run_id and x.step_index = ap.step_index;
    perform private.ai_run_enqueue_step(tenant, ap.run_id, ap.step_index, s.attempts + 1, now());
    update public.ai_runs r set status = 'running' where r.tenant_id = tenant and r.id = ap.run_id;
    return 'approved';
  end if;
  update public.ai_approvals a set status = 'rejected', decided_by = private.current_user_id(), decided_at = now(), reason = p_reason
  where a.tenant_id = tenant and a.id = ap.id;
  update public.ai_run_steps x set status = 'rejected', finished_at = now(),
    output = jsonb_build_object('rejected', true, 'reason', coalesce(p_reason, 'a person rejected this action'))
  where x.tenant_id = tenant and x.run_id = ap.run_id and x.step_index = ap.step_index;
  perform private.ai_run_advance(tenant, ap.run_id, ap.step_index);
  return 'rejected';
end $$;

alter function private.ai_run_enqueue_step(uuid, uuid, int, int, timestamptz) owner to app_private;
alter function private.ai_run_create(uuid, uuid, text, jsonb, text, text, uuid) owner to app_private;
alter function private.ai_run_start(uuid, text, jsonb, text) owner to app_private;
alter function private.ai_run_start_job(uuid, uuid, text, jsonb, text) owner to app_private;
alter function private.ai_worker_kind(uuid, uuid) owner to app_private;
alter function private.ai_budget_settle(uuid, date, int, int) owner to app_private;
alter function private.ai_run_fail(uuid, uuid, text, text, text) owner to app_private;
alter function private.ai_approval_need(uuid, uuid, text[], int) owner to app_private;
alter function private.ai_tool_exec(uuid, uuid, int, uuid, text, jsonb) owner to app_private;
alter function private.ai_run_claim(uuid, uuid, int, int) owner to app_private;
alter function private.ai_run_advance(uuid, uuid, int) owner to app_private;
alter function private.ai_budget_reserve(uuid, uuid, int, int, int) owner to app_private;
alter function private.ai_model_step_finish(uuid, uuid, int, int, jsonb) owner to app_private;
alter function private.ai_model_step_failed(uuid, uuid, int, int, text, text, timestamptz, int, int, int) owner to app_private;
alter function private.ai_approval_decide(uuid, text, text) owner to app_private;
revoke all on function private.ai_run_enqueue_step(uuid, uuid, int, int, timestamptz), private.ai_run_create(uuid, uuid, text, jsonb, text, text, uuid),
  private.ai_run_start(uuid, text, jsonb, text), private.ai_run_start_job(uuid, uuid, text, jsonb, text), private.ai_worker_kind(uuid, uuid),
  private.ai_budget_settle(uuid, date, int, int), private.ai_run_fail(uuid, uuid, text, text, text), private.ai_approval_need(uuid, uuid, text[], int),
  private.ai_tool_exec(uuid, uuid, int, uuid, text, jsonb), private.ai_run_claim(uuid, uuid, int, int), private.ai_run_advance(uuid, uuid, int),
  private.ai_budget_reserve(uuid, uuid, int, int, int), private.ai_model_step_finish(uuid, uuid, int, int, jsonb),
  private.ai_model_step_failed(uuid, uuid, int, int, text, text, timestamptz, int, int, int), private.ai_approval_decide(uuid, text, text) from public;
grant execute on function private.ai_run_start(uuid, text, jsonb, text), private.ai_approval_decide(uuid, text, text) to authenticated;
grant execute on function private.ai_run_start_job(uuid, uuid, text, jsonb, text), private.ai_worker_kind(uuid, uuid), private.ai_run_claim(uuid, uuid, int, int),
  private.ai_budget_reserve(uuid, uuid, int, int, int), private.ai_model_step_finish(uuid, uuid, int, int, jsonb),
  private.ai_model_step_failed(uuid, uuid, int, int, text, text, timestamptz, int, int, int) to office_jobs;
