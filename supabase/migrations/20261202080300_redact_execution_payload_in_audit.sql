-- Audit leak (review of issue 13): workflow_executions was audited whole, so an execution's
-- trigger_payload (an event's payload: customer names, emails) landed in audit_log, where readers
-- of the audit log saw it past the payload rule of private.workflow_execution_data
-- (20261202040000). The audit keeps the lifecycle; the payload is redacted. Step outputs
-- (workflow_execution_steps) are not audited.
drop trigger workflow_executions_audit on public.workflow_executions;
create trigger workflow_executions_audit after insert or update of status on public.workflow_executions
  for each row execute function private.audit_row('tenant_id', 'id', 'trigger_payload');
