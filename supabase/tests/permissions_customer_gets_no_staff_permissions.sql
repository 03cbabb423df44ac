-- A customer user cannot be granted a staff permission, and one stored anyway gives nothing.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a4', 'customers.read_all', true)$$, 'staff permission to a customer');
select tests.act_as_owner();
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a4', 'customers.read_all', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-00000000000a');
select tests.check(private.current_permissions() = array['portal.access']::public.app_permission[], 'still only the portal');
