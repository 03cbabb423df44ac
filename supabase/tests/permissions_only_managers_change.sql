-- Without permissions.manage (employees, managers by default) nobody changes permissions, and a
-- member sees only their own overrides.
select tests.two_tenants();
insert into public.user_permissions (tenant_id, user_id, permission, granted) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000c1', 'tasks.read_all', true),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'time.create', false);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.user_permissions') = 1, 'the employee sees only their own override');
select tests.refused($$insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000c1', 'customers.read_all', true)$$, 'employee grants');
update public.user_permissions set granted = false where user_id = '00000000-0000-4000-a000-0000000000c1';
delete from public.user_permissions;
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.user_permissions where tenant_id = '00000000-0000-4000-a000-00000000000a' and granted$$) = 1, 'the grant is untouched');
select tests.check(tests.count($$select 1 from public.user_permissions where tenant_id = '00000000-0000-4000-a000-00000000000a'$$) = 2, 'nothing was deleted');
