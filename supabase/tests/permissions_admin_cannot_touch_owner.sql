-- As with memberships, only an owner changes an owner's permissions; an admin cannot.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a1', 'permissions.manage', false)$$, 'admin revokes from the owner');
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'customers.read_all', true);
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.user_permissions where tenant_id = '00000000-0000-4000-a000-00000000000a'$$) = 1, 'only the employee''s grant was stored');
