-- The active tenant can only be one the person actively belongs to.
select tests.two_tenants();
insert into public.user_settings (user_id, active_tenant_id) values ('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
update public.user_settings set active_tenant_id = '00000000-0000-4000-a000-00000000000b' where user_id = '00000000-0000-4000-a000-0000000000c1';
select tests.check(tests.count('select 1 from public.user_settings where active_tenant_id = ''00000000-0000-4000-a000-00000000000b''') = 1, 'may switch to B, a tenant they belong to');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused('insert into public.user_settings (user_id, active_tenant_id) values (''00000000-0000-4000-a000-0000000000a3'', ''00000000-0000-4000-a000-00000000000b'')', 'switch to a tenant without membership');
select tests.check(tests.count('select 1 from public.user_settings where user_id = ''00000000-0000-4000-a000-0000000000c1''') = 0, 'cannot read another person''s settings');
