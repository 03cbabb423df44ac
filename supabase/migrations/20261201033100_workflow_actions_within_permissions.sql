-- Workflow data actions read tenant-wide (the step job has no user): find_appointments lists every
-- appointment in its window, aggregate_tasks counts anyone's tasks. So defining a version with
-- such an action needs the permission that reads the same data directly — appointments.read_all,
-- tasks.read_all — or a member granted automation.manage alone would read through a workflow what
-- RLS hides from them. (Owners and admins hold every permission; managers hold both.)
create function private.may_define_actions(p_actions jsonb) returns boolean
language sql stable security definer set search_path = '' as $$
  select (not (p_actions @> '[{"type": "find_appointments"}]') or private.has_permission('appointments.read_all'))
     and (not (p_actions @> '[{"type": "aggregate_tasks"}]') or private.has_permission('tasks.read_all'))
$$;
alter function private.may_define_actions(jsonb) owner to app_private;
revoke all on function private.may_define_actions(jsonb) from public;
grant execute on function private.may_define_actions(jsonb) to authenticated;

alter policy workflow_versions_insert_automation_manage on public.workflow_versions
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage'))
    and created_by = (select private.current_user_id()) and private.may_define_actions(actions));
