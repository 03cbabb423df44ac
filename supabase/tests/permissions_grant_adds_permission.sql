-- Granting a permission beyond the role's defaults gives it; deleting the grant takes it back.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(not private.has_permission('customers.read_all'), 'not a default of employees');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'customers.read_all', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(private.has_permission('customers.read_all'), 'granted');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
delete from public.user_permissions where user_id = '00000000-0000-4000-a000-0000000000a3';
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(not private.has_permission('customers.read_all'), 'back to the role default');
