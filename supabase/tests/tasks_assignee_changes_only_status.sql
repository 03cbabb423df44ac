-- The assignee (tasks.write_assigned, no tasks.manage) changes the status, nothing else; the
-- owner (tasks.manage) changes any field.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 'original', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
update public.tasks set status = 'in_progress' where id = '00000000-0000-4000-a000-0000000000f1';
select tests.check((select status from public.tasks where id = '00000000-0000-4000-a000-0000000000f1') = 'in_progress', 'status changed by the assignee');
select tests.refused($$update public.tasks set title = 'renamed' where id = '00000000-0000-4000-a000-0000000000f1'$$, 'assignee renames');
select tests.refused($$update public.tasks set assigned_to = '00000000-0000-4000-a000-0000000000c1' where id = '00000000-0000-4000-a000-0000000000f1'$$, 'assignee reassigns');
select tests.refused($$update public.tasks set due_at = now() where id = '00000000-0000-4000-a000-0000000000f1'$$, 'assignee moves the due date');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
update public.tasks set title = 'renamed', assigned_to = '00000000-0000-4000-a000-0000000000c1' where id = '00000000-0000-4000-a000-0000000000f1';
select tests.act_as_owner();
select tests.check((select (title, assigned_to) = ('renamed', '00000000-0000-4000-a000-0000000000c1'::uuid) from public.tasks where id = '00000000-0000-4000-a000-0000000000f1'), 'the owner changed title and assignee');
