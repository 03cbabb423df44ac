-- private.role_permissions() was a SQL function with a SET clause: never inlined, so Postgres
-- planned its body (an array subquery over enum_range) afresh in every transaction that asked
-- has_permission(), about 0.1–0.17 ms of a 0.6 ms task-list statement. As plpgsql its statements
-- are planned once per connection. No SET clause: it reads no table, and every name in it is
-- schema-qualified (functions, types and operators), so the caller's search_path cannot redirect
-- it. Same answers, role by role, as 20261201002000_employees_read_team_notes.sql.
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
      'customers.read_assigned', 'customers.read_all', 'customers.write', 'time.create']::public.app_permission[]
    when 'employee' then array['calendar.read', 'appointments.write_own', 'tasks.write_assigned',
      'notes.write_own', 'notes.read_team', 'customers.read_assigned', 'time.create']::public.app_permission[]
    when 'customer' then array['portal.access']::public.app_permission[]
    else '{}'::public.app_permission[]
  end;
end $$;
