-- The task_runs quota and meter (review of issue 13): the step job checked the quota on every
-- delivery of step 0 / attempt 1, including the redelivery after quiet hours (same attempt) and a
-- re-claim of a stale running step; refusal then matched nothing (the execution was already
-- running) and the job returned without running it, leaving the execution stuck in `running`; and
-- each such claim metered one more task run. The claim now says whether it moved the execution
-- out of `queued` (first_claim): only that claim is one task run. As in 20261202010000 otherwise.
drop function private.workflow_step_claim(uuid, uuid, int, int);
create function private.workflow_step_claim(p_tenant uuid, p_execution uuid, p_step int, p_attempt int)
returns table (action jsonb, previous jsonb, trigger_payload jsonb, workflow_id uuid, step_count int, first_claim boolean)
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
      ex.trigger_payload, ex.workflow_id, ex.step_count, ex.status = 'queued';
end $$;
alter function private.workflow_step_claim(uuid, uuid, int, int) owner to app_private;
revoke all on function private.workflow_step_claim(uuid, uuid, int, int) from public;
grant execute on function private.workflow_step_claim(uuid, uuid, int, int) to office_jobs;
