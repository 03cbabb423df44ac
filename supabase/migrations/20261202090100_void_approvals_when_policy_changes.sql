-- A change of execution policy voids the approvals pending under the old one at once, in the
-- transaction that changes the policy (and fails their runs, as a void found at decision time
-- does). Deciding such an approval afterwards is a plain 409 approval_void that writes nothing,
-- instead of a refusal whose void was written by the refused request. The check at decision and
-- execution time stays, for approvals already approved when the policy changes.
create function private.ai_void_approvals_of_settings() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  for r in
    select distinct a.run_id from public.ai_approvals a
    where a.tenant_id = new.tenant_id and a.status = 'pending' and a.settings_policy_version is distinct from new.policy_version
  loop
    perform private.ai_run_fail(new.tenant_id, r.run_id, 'failed', 'approval_void', 'the execution policy changed before the approval; nothing was executed');
  end loop;
  return null;
end $$;
alter function private.ai_void_approvals_of_settings() owner to app_private;
revoke all on function private.ai_void_approvals_of_settings() from public;

create function private.ai_void_approvals_of_worker() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  for r in
    select distinct a.run_id from public.ai_approvals a
    where a.tenant_id = new.tenant_id and a.worker_id = new.id and a.status = 'pending' and a.worker_policy_version is distinct from new.policy_version
  loop
    perform private.ai_run_fail(new.tenant_id, r.run_id, 'failed', 'approval_void', 'the execution policy changed before the approval; nothing was executed');
  end loop;
  return null;
end $$;
alter function private.ai_void_approvals_of_worker() owner to app_private;
revoke all on function private.ai_void_approvals_of_worker() from public;

create trigger ai_settings_void_approvals after insert on public.ai_settings
  for each row execute function private.ai_void_approvals_of_settings();
create trigger ai_settings_void_approvals_on_change after update on public.ai_settings
  for each row when (old.policy_version is distinct from new.policy_version) execute function private.ai_void_approvals_of_settings();
create trigger ai_workers_void_approvals after update on public.ai_workers
  for each row when (old.policy_version is distinct from new.policy_version) execute function private.ai_void_approvals_of_worker();
