-- An employee cannot change anyone's membership (the update matches no row).
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
update public.memberships set role = 'admin' where tenant_id = '00000000-0000-4000-a000-00000000000a';
select tests.act_as_owner();
select tests.check(tests.count('select 1 from public.memberships where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and role = ''admin''') = 1, 'still one admin');
