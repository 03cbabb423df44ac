-- A member of tenant A sees none of tenant B's memberships, even when asking for them by id.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.memberships where tenant_id = ''00000000-0000-4000-a000-00000000000b''') = 0, 'B is invisible to A''s owner');
select tests.check(tests.count('select 1 from public.memberships where tenant_id = ''00000000-0000-4000-a000-00000000000a''') = 5, 'A''s owner sees A''s five members');
