-- Nobody hard-deletes a task, not even the owner: the statement is refused and the row stays.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 'keep', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$delete from public.tasks where id = '00000000-0000-4000-a000-0000000000f1'$$, 'owner hard delete');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$delete from public.tasks where id = '00000000-0000-4000-a000-0000000000f1'$$, 'assignee hard delete');
select tests.act_as_owner();
select tests.check(tests.count('select 1 from public.tasks where id = ''00000000-0000-4000-a000-0000000000f1'' and deleted_at is null') = 1, 'the task is still there');
