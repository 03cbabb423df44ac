-- A deactivated member's claims name the tenant, but RLS no longer lets them into it.
select tests.two_tenants();
update public.memberships set active = false where user_id = '00000000-0000-4000-a000-0000000000a2';
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
select tests.check(private.current_tenant() is null, 'no current tenant');
select tests.check(tests.count('select 1 from public.memberships where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and user_id <> ''00000000-0000-4000-a000-0000000000a2''') = 0, 'sees no colleague');
update public.tenants set name = 'renamed' where id = '00000000-0000-4000-a000-00000000000a';
select tests.act_as_owner();
select tests.check(tests.count('select 1 from public.tenants where name = ''renamed''') = 0, 'cannot rename the tenant');
