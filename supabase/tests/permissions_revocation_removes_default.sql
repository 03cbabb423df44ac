-- Revoking a role default takes it away on the member's very next statement.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(private.has_permission('customers.read_assigned'), 'an employee reads assigned customers by default');
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'customers.read_assigned', false);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(not private.has_permission('customers.read_assigned'), 'revoked');
select tests.check(private.has_permission('calendar.read'), 'the other defaults stay');
