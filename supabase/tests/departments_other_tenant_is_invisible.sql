-- Another tenant's departments do not exist for an admin: not readable, not writable.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count($$select 1 from public.departments where tenant_id = '00000000-0000-4000-a000-00000000000b'$$) = 0, 'B is invisible');
update public.departments set name = 'pwned' where id = '00000000-0000-4000-a000-000000000db2';
delete from public.departments where id = '00000000-0000-4000-a000-000000000db2';
select tests.refused($$insert into public.departments (tenant_id, name) values ('00000000-0000-4000-a000-00000000000b', 'x')$$, 'insert into B');
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.departments where id = '00000000-0000-4000-a000-000000000db2' and name = 'support'$$) = 1, 'B unchanged');
