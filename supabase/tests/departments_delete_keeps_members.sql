-- Deleting a department keeps its members and customers; their department becomes null. This
-- holds for an owner in it too, when an admin deletes it (the set null is no edit of the owner).
select tests.two_tenants();
update public.memberships set department_id = '00000000-0000-4000-a000-000000000da1'
  where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a1';
insert into public.customers (tenant_id, name, department_id)
  values ('00000000-0000-4000-a000-00000000000a', 'Dora', '00000000-0000-4000-a000-000000000da1');
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
delete from public.departments where id = '00000000-0000-4000-a000-000000000da1';
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.departments where id = '00000000-0000-4000-a000-000000000da1'$$) = 0, 'the department is gone');
select tests.check(tests.count($$select 1 from public.memberships where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id in
  ('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000c1') and department_id is null$$) = 3,
  'its members, the owner among them, remain without a department');
select tests.check(tests.count($$select 1 from public.customers where tenant_id = '00000000-0000-4000-a000-00000000000a' and name = 'Dora' and department_id is null$$) = 1, 'its customer remains without a department');
select tests.check(tests.count($$select 1 from public.audit_log where tenant_id = '00000000-0000-4000-a000-00000000000a' and action = 'departments.delete'$$) = 1, 'the deletion is audited');
