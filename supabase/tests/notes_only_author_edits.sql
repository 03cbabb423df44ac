-- Only the author edits or deletes a note: a manager who can read it (notes.read_team) changes
-- nothing, the owner neither.
select tests.two_tenants();
insert into auth.users (id, email) values ('00000000-0000-4000-a000-0000000000a6', 'sales-manager@a.test');
insert into public.memberships (tenant_id, user_id, role, department_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a6', 'manager', '00000000-0000-4000-a000-000000000da1');
insert into public.notes (id, tenant_id, author_id, title, department_id, shared_with_department) values
  ('00000000-0000-4000-a000-0000000000d1', '00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'original', '00000000-0000-4000-a000-000000000da1', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a6', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 1, 'the manager reads it');
update public.notes set title = 'by the manager' where id = '00000000-0000-4000-a000-0000000000d1';
update public.notes set deleted_at = now() where id = '00000000-0000-4000-a000-0000000000d1';
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
update public.notes set title = 'by the owner' where id = '00000000-0000-4000-a000-0000000000d1';
select tests.act_as_owner();
select tests.check((select title = 'original' and deleted_at is null from public.notes where id = '00000000-0000-4000-a000-0000000000d1'), 'unchanged');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
update public.notes set title = 'by the author' where id = '00000000-0000-4000-a000-0000000000d1';
select tests.act_as_owner();
select tests.check((select title from public.notes where id = '00000000-0000-4000-a000-0000000000d1') = 'by the author', 'the author edits');
