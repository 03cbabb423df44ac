-- Comments are visible with their task and written only on a visible task, as oneself.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 'mine', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3'),
  ('00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-00000000000a', 'not mine', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000c1');
insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a1', 'on mine'),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-0000000000a1', 'on theirs');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.task_comments') = 1, 'only the comment on the visible task');
insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a3', 'reply');
select tests.refused($$insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-0000000000a3', 'sneak')$$, 'comment on a hidden task');
select tests.refused($$insert into public.task_comments (tenant_id, task_id, author_id, body) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a1', 'as the owner')$$, 'comment as someone else');
