-- A soft-deleted note disappears for the team and for the customer it was shared with, and its
-- author cannot bring it back; only the deleting transaction saw it once more.
select tests.two_tenants();
insert into auth.users (id, email) values ('00000000-0000-4000-a000-0000000000a6', 'sales-manager@a.test');
insert into public.memberships (tenant_id, user_id, role, department_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a6', 'manager', '00000000-0000-4000-a000-000000000da1');
insert into public.customers (id, tenant_id, name) values ('00000000-0000-4000-a000-0000000000e1', '00000000-0000-4000-a000-00000000000a', 'Carl');
update public.memberships set customer_id = '00000000-0000-4000-a000-0000000000e1'
  where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a4';
insert into public.notes (id, tenant_id, author_id, title, department_id, shared_with_department, customer_id, shared_with_customer) values
  ('00000000-0000-4000-a000-0000000000d1', '00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'n',
   '00000000-0000-4000-a000-000000000da1', true, '00000000-0000-4000-a000-0000000000e1', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
update public.notes set deleted_at = now() where id = '00000000-0000-4000-a000-0000000000d1';
select tests.act_as('00000000-0000-4000-a000-0000000000a6', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 0, 'the team no longer sees it');
select tests.act_as('00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 0, 'the customer no longer sees it');
-- As a later transaction of the author would see it.
select tests.act_as_owner();
update public.notes set deleted_at = now() - interval '1 minute' where id = '00000000-0000-4000-a000-0000000000d1';
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 0, 'the author no longer sees it');
update public.notes set deleted_at = null where id = '00000000-0000-4000-a000-0000000000d1';
select tests.act_as_owner();
select tests.check((select deleted_at is not null from public.notes where id = '00000000-0000-4000-a000-0000000000d1'), 'still deleted: no undo');
