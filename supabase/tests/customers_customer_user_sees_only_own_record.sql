-- A customer user sees the one customer record they are linked to, and writes none.
select tests.two_tenants();
insert into public.customers (id, tenant_id, name) values
  ('00000000-0000-4000-a000-0000000c0001', '00000000-0000-4000-a000-00000000000a', 'me'),
  ('00000000-0000-4000-a000-0000000c0002', '00000000-0000-4000-a000-00000000000a', 'someone else');
update public.memberships set customer_id = '00000000-0000-4000-a000-0000000c0001'
  where user_id = '00000000-0000-4000-a000-0000000000a4';
select tests.act_as('00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.customers') = 1, 'one record');
select tests.check(tests.count($$select 1 from public.customers where name = 'me'$$) = 1, 'their own');
update public.customers set name = 'changed';
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.customers where tenant_id = '00000000-0000-4000-a000-00000000000a' and name = 'changed'$$) = 0, 'no write');
