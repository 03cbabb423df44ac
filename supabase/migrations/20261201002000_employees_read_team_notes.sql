-- The product brief gives employees "view notes shared with their department/team": notes.read_team
-- joins the employee defaults (a business can still revoke it per member). Otherwise unchanged
-- from 20261123001000_create_departments_and_permissions.sql.
create or replace function private.role_permissions(r public.member_role) returns public.app_permission[]
language sql immutable set search_path = '' as $$
  select case r
    when 'owner' then array(select p from unnest(enum_range(null::public.app_permission)) p where p <> 'portal.access')
    when 'admin' then array(select p from unnest(enum_range(null::public.app_permission)) p where p <> 'portal.access')
    when 'manager' then array['calendar.read', 'appointments.write_own', 'appointments.read_all',
      'tasks.write_assigned', 'tasks.read_all', 'tasks.manage', 'notes.write_own', 'notes.read_team',
      'customers.read_assigned', 'customers.read_all', 'customers.write', 'time.create']::public.app_permission[]
    when 'employee' then array['calendar.read', 'appointments.write_own', 'tasks.write_assigned',
      'notes.write_own', 'notes.read_team', 'customers.read_assigned', 'time.create']::public.app_permission[]
    when 'customer' then array['portal.access']::public.app_permission[]
    else '{}'::public.app_permission[]
  end
$$;
