-- The owner (every permission), as authenticated, cannot write automation's bookkeeping columns
-- (a workflow's current_version and trigger_kind; an endpoint's failure count, disabled_at and
-- secret_rotated_at; a key generation) nor read execution payloads and outputs directly: 42501
-- each. A new version (which members may insert) moves current_version and trigger_kind with it.
select tests.two_tenants();
insert into public.workflows (tenant_id, id, name, created_by) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', 'W', '00000000-0000-4000-a000-0000000000a1');
insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', 1, '{"type": "manual"}', '[{"type": "generate_summary"}]', '00000000-0000-4000-a000-0000000000a1');
insert into public.webhook_endpoints (tenant_id, id, url, created_by) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f2', 'https://receiver.example.com/h', '00000000-0000-4000-a000-0000000000a1');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
do $$
declare
  stmt text;
begin
  foreach stmt in array array[
    'update public.workflows set current_version = 9',
    'update public.workflows set trigger_kind = ''webhook''',
    'update public.webhook_endpoints set consecutive_failures = 0',
    'update public.webhook_endpoints set disabled_at = now()',
    'update public.webhook_endpoints set secret_rotated_at = now()',
    'select generation from public.workflow_webhook_keys',
    'select trigger_payload from public.workflow_executions',
    'select output from public.workflow_execution_steps'
  ] loop
    begin
      execute stmt;
      raise exception 'FAILED (not refused with 42501): %', stmt;
    exception when insufficient_privilege then
      null;
    end;
  end loop;
end $$;
insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', 2, '{"type": "webhook"}', '[{"type": "generate_summary"}]', '00000000-0000-4000-a000-0000000000a1');
select tests.check(tests.count('select 1 from public.workflows where id = ''00000000-0000-4000-a000-0000000000f1'' and current_version = 2 and trigger_kind = ''webhook''') = 1,
  'the new version is current and names the trigger');
