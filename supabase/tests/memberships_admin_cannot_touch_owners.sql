-- An admin can manage employees but can neither grant the owner role nor change an owner.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
update public.memberships set department_id = '00000000-0000-4000-a000-000000000da2' where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3';
select tests.refused('update public.memberships set role = ''owner'' where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and user_id = ''00000000-0000-4000-a000-0000000000a3''', 'grant owner');
select tests.refused('update public.memberships set department_id = null where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and user_id = ''00000000-0000-4000-a000-0000000000a1''', 'edit the owner');
select tests.act_as_owner();
select tests.check(tests.count('select 1 from public.memberships where user_id = ''00000000-0000-4000-a000-0000000000a3'' and department_id = ''00000000-0000-4000-a000-000000000da2''') = 1, 'the employee change went through');
