-- A note shared with the support department is invisible to the sales department: to a sales
-- employee and to a sales manager (notes.read_team), while a support manager reads it.
select tests.two_tenants();
insert into auth.users (id, email) values
  ('00000000-0000-4000-a000-0000000000a5', 'support@a.test'), ('00000000-0000-4000-a000-0000000000a6', 'sales-manager@a.test'),
  ('00000000-0000-4000-a000-0000000000a7', 'support-manager@a.test');
insert into public.memberships (tenant_id, user_id, role, department_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a5', 'employee', '00000000-0000-4000-a000-000000000da2'),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a6', 'manager', '00000000-0000-4000-a000-000000000da1'),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a7', 'manager', '00000000-0000-4000-a000-000000000da2');
insert into public.notes (id, tenant_id, author_id, title, department_id, shared_with_department) values
  ('00000000-0000-4000-a000-0000000000d1', '00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a5', 'support only', '00000000-0000-4000-a000-000000000da2', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 0, 'a sales employee does not see it');
select tests.act_as('00000000-0000-4000-a000-0000000000a6', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 0, 'a sales manager does not see it');
select tests.act_as('00000000-0000-4000-a000-0000000000a7', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 1, 'the support manager does');
