-- Only holders of departments.manage (owner/admin by default) create, rename or delete
-- departments; an employee's attempts are refused or match nothing. Everyone staff reads them.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.departments') = 2, 'an employee reads the departments');
select tests.refused($$insert into public.departments (tenant_id, name) values ('00000000-0000-4000-a000-00000000000a', 'x')$$, 'employee insert');
update public.departments set name = 'renamed' where id = '00000000-0000-4000-a000-000000000da1';
delete from public.departments where id = '00000000-0000-4000-a000-000000000da2';
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
insert into public.departments (tenant_id, name) values ('00000000-0000-4000-a000-00000000000a', 'front desk');
update public.departments set name = 'sales & marketing' where id = '00000000-0000-4000-a000-000000000da1';
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.departments where tenant_id = '00000000-0000-4000-a000-00000000000a'$$) = 3, 'the admin created one');
select tests.check(tests.count($$select 1 from public.departments where tenant_id = '00000000-0000-4000-a000-00000000000a' and name = 'sales & marketing'$$) = 1, 'the admin renamed one, the employee did not');
select tests.check(tests.count($$select 1 from public.departments where id = '00000000-0000-4000-a000-000000000da2'$$) = 1, 'the employee deleted nothing');
