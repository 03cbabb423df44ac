-- Managers write customers but only owners and admins (customers.delete) delete them.
select tests.two_tenants();
insert into auth.users (id, email) values ('00000000-0000-4000-a000-0000000000a5', 'manager@a.test');
insert into public.memberships (tenant_id, user_id, role)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a5', 'manager');
insert into public.customers (tenant_id, name) values ('00000000-0000-4000-a000-00000000000a', 'Dora');
select tests.act_as('00000000-0000-4000-a000-0000000000a5', '00000000-0000-4000-a000-00000000000a');
insert into public.customers (tenant_id, name) values ('00000000-0000-4000-a000-00000000000a', 'Eli');
update public.customers set phone = '+49 30 1234' where name = 'Dora';
delete from public.customers;
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.customers where tenant_id = '00000000-0000-4000-a000-00000000000a'$$) = 2, 'the manager created one and deleted none');
select tests.check(tests.count($$select 1 from public.customers where tenant_id = '00000000-0000-4000-a000-00000000000a' and phone is not null$$) = 1, 'the manager updated one');
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
delete from public.customers where name = 'Dora';
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.customers where tenant_id = '00000000-0000-4000-a000-00000000000a' and name = 'Dora'$$) = 0, 'the admin deleted it');
