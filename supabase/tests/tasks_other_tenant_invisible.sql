-- Another tenant's tasks, comments and time logs are invisible, even to its owner-level reader,
-- and a task cannot be created in another tenant.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000b', 'B''s', '00000000-0000-4000-a000-0000000000b1', '00000000-0000-4000-a000-0000000000b3');
insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000b1', 'secret');
insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000b3', 30);
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 0, 'no task of B');
select tests.check(tests.count('select 1 from public.task_comments') = 0, 'no comment of B');
select tests.check(tests.count('select 1 from public.time_logs') = 0, 'no time log of B');
select tests.refused($$insert into public.tasks (tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-00000000000b', 'planted', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a1')$$, 'insert into B');
update public.tasks set title = 'hijacked' where id = '00000000-0000-4000-a000-0000000000f1';
select tests.act_as_owner();
select tests.check((select title from public.tasks where id = '00000000-0000-4000-a000-0000000000f1') = 'B''s', 'B''s task unchanged');
