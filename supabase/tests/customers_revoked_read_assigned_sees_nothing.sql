-- Without customers.read_assigned an employee no longer sees even their assigned customers.
select tests.two_tenants();
insert into public.customers (tenant_id, name, assigned_to)
  values ('00000000-0000-4000-a000-00000000000a', 'assigned', '00000000-0000-4000-a000-0000000000a3');
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'customers.read_assigned', false);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.customers') = 0, 'nothing visible');
