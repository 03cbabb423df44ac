-- Another tenant's customers do not exist for an owner: not readable, not writable, and no
-- customer of this tenant can point into the other tenant's departments.
select tests.two_tenants();
insert into public.customers (id, tenant_id, name) values ('00000000-0000-4000-a000-0000000c00b1', '00000000-0000-4000-a000-00000000000b', 'of B');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.customers') = 0, 'B''s customer is invisible');
update public.customers set name = 'pwned' where id = '00000000-0000-4000-a000-0000000c00b1';
delete from public.customers where id = '00000000-0000-4000-a000-0000000c00b1';
select tests.refused($$insert into public.customers (tenant_id, name) values ('00000000-0000-4000-a000-00000000000b', 'x')$$, 'insert into B');
select tests.refused($$insert into public.customers (tenant_id, name, department_id)
  values ('00000000-0000-4000-a000-00000000000a', 'x', '00000000-0000-4000-a000-000000000db2')$$, 'B''s department');
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.customers where id = '00000000-0000-4000-a000-0000000c00b1' and name = 'of B'$$) = 1, 'B unchanged');
