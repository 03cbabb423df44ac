-- A member granted ai.manage without ai.read (permissions are set one by one) could change a
-- worker's status or start a run through these definer functions, and then not see the result
-- under RLS: the request answered 404 while its write committed. The functions now treat a worker
-- the caller cannot read as not found, and write nothing, like PATCH under RLS does.
create or replace function private.ai_worker_transition(p_worker uuid, p_to text, p_reason text)
returns table (id uuid, from_status text, changed boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
  current_status text;
begin
  if tenant is null or not private.has_permission('ai.manage') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  if not private.has_permission('ai.read') then
    return;
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

create or replace function private.ai_run_start(p_worker uuid, p_task text, p_inputs jsonb, p_source_key text)
returns table (run_id uuid, kind text, status text)
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
  w public.ai_workers;
begin
  if tenant is null or not private.has_permission('ai.manage') then
    raise exception 'forbidden' using errcode = 'AO403';
  end if;
  if not private.has_permission('ai.read') then
    return;
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
