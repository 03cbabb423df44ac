-- A customer user sees the tasks assigned to them and nothing else of the business's tasks;
-- they neither create nor comment on tasks.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 'send the x-ray', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a4'),
  ('00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-00000000000a', 'internal', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 1, 'one task');
select tests.check(tests.count('select 1 from public.tasks where id = ''00000000-0000-4000-a000-0000000000f1''') = 1, 'the one assigned to them');
select tests.refused($$insert into public.tasks (tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-00000000000a', 'x', '00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-0000000000a4')$$, 'a customer creates a task');
select tests.refused($$insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a4', 'hi')$$, 'a customer comments');
