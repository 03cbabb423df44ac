-- A note shared with the author's department is read by a colleague with notes.read_team, which
-- employees and managers have by default: yes for a same-department employee and the department's
-- manager (the shared note only), no once the business revokes it from the employee.
select tests.two_tenants();
insert into auth.users (id, email) values ('00000000-0000-4000-a000-0000000000a6', 'sales-manager@a.test');
insert into public.memberships (tenant_id, user_id, role, department_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a6', 'manager', '00000000-0000-4000-a000-000000000da1');
insert into public.notes (tenant_id, author_id, title, department_id, shared_with_department) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'for sales', '00000000-0000-4000-a000-000000000da1', true),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'private', '00000000-0000-4000-a000-000000000da1', false);
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes where title = ''for sales''') = 1, 'a same-department employee sees the shared note');
select tests.check(tests.count('select 1 from public.notes where title = ''private''') = 0, 'but not the private one');
select tests.act_as('00000000-0000-4000-a000-0000000000a6', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 1, 'the department''s manager sees the shared note only');
select tests.act_as_owner();
insert into public.user_permissions (tenant_id, user_id, permission, granted) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000c1', 'notes.read_team', false);
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 0, 'with the revocation, the colleague sees nothing');
