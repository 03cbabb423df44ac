-- A soft-deleted task, its comments and its time-log inserts are hidden from everyone, the owner
-- included; only the deleting transaction itself still sees the row it just deleted.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 't', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3');
insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a3', 'hi');
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
update public.tasks set deleted_at = now() where id = '00000000-0000-4000-a000-0000000000f1';
select tests.check(tests.count('select 1 from public.tasks') = 1, 'the deleting transaction sees what it deleted');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 0, 'the assignee no longer sees it');
select tests.check(tests.count('select 1 from public.task_comments') = 0, 'nor its comments');
select tests.refused($$insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a3', 15)$$, 'time on a deleted task');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 0, 'the owner does not see it either');
-- As a later transaction would see it: deleted at another time.
select tests.act_as_owner();
update public.tasks set deleted_at = now() - interval '1 minute' where id = '00000000-0000-4000-a000-0000000000f1';
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 0, 'nor, afterwards, the admin who deleted it');
