-- Managers see the office's automation (workflows, executions, reminders, webhook deliveries)
-- without changing it. Same answers as 20261201002500 otherwise, role by role.
create or replace function private.role_permissions(r public.member_role) returns public.app_permission[]
language plpgsql immutable as $$
begin
  return case r
    when 'owner' then array(select p from pg_catalog.unnest(pg_catalog.enum_range(null::public.app_permission)) p
                            where p operator(pg_catalog.<>) 'portal.access'::public.app_permission)
    when 'admin' then array(select p from pg_catalog.unnest(pg_catalog.enum_range(null::public.app_permission)) p
                            where p operator(pg_catalog.<>) 'portal.access'::public.app_permission)
    when 'manager' then array['calendar.read', 'appointments.write_own', 'appointments.read_all',
      'tasks.write_assigned', 'tasks.read_all', 'tasks.manage', 'notes.write_own', 'notes.read_team',
      'customers.read_assigned', 'customers.read_all', 'customers.write', 'time.create',
      'automation.read']::public.app_permission[]
    when 'employee' then array['calendar.read', 'appointments.write_own', 'tasks.write_assigned',
      'notes.write_own', 'notes.read_team', 'customers.read_assigned', 'time.create']::public.app_permission[]
    when 'customer' then array['portal.access']::public.app_permission[]
    else '{}'::public.app_permission[]
  end;
end $$;
