-- An employee cannot create, change or delete customers, not even one assigned to them.
select tests.two_tenants();
insert into public.customers (tenant_id, name, assigned_to)
  values ('00000000-0000-4000-a000-00000000000a', 'assigned', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.customers (tenant_id, name, assigned_to)
  values ('00000000-0000-4000-a000-00000000000a', 'new', '00000000-0000-4000-a000-0000000000a3')$$, 'employee insert');
update public.customers set name = 'renamed';
delete from public.customers;
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.customers where tenant_id = '00000000-0000-4000-a000-00000000000a' and name = 'assigned'$$) = 1, 'unchanged and still there');
