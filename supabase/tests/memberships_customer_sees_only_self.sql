-- A customer sees only their own membership, not the business's staff.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.memberships') = 1, 'exactly one row visible');
select tests.check(tests.count('select 1 from public.memberships where user_id = ''00000000-0000-4000-a000-0000000000a4''') = 1, 'and it is their own');
