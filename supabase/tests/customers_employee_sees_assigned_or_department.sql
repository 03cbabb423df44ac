-- An employee sees the customers assigned to them or in their department, nothing else; with
-- customers.read_all, every customer of the business.
select tests.two_tenants();
insert into public.customers (tenant_id, name, assigned_to, department_id) values
  ('00000000-0000-4000-a000-00000000000a', 'assigned', '00000000-0000-4000-a000-0000000000a3', null),
  ('00000000-0000-4000-a000-00000000000a', 'same department', null, '00000000-0000-4000-a000-000000000da1'),
  ('00000000-0000-4000-a000-00000000000a', 'other department', null, '00000000-0000-4000-a000-000000000da2'),
  ('00000000-0000-4000-a000-00000000000a', 'nobody''s', null, null),
  ('00000000-0000-4000-a000-00000000000b', 'other tenant', null, '00000000-0000-4000-a000-000000000db2');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count($$select 1 from public.customers where name in ('assigned', 'same department')$$) = 2, 'assigned and department visible');
select tests.check(tests.count('select 1 from public.customers') = 2, 'nothing else');
select tests.act_as_owner();
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'customers.read_all', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.customers') = 4, 'read_all: every customer of A, none of B');
