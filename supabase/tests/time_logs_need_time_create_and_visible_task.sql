-- Time is logged only with time.create, by oneself, on a task one can see.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 'mine', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3'),
  ('00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-00000000000a', 'not mine', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000c1');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a3', 45);
select tests.refused($$insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-0000000000a3', 45)$$, 'a task they cannot see');
select tests.refused($$insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000c1', 45)$$, 'time for someone else');
select tests.refused($$insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a3', 1441)$$, 'more than a day');
select tests.act_as_owner();
insert into public.user_permissions (tenant_id, user_id, permission, granted) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'time.create', false);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.time_logs (tenant_id, task_id, user_id, minutes) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-0000000000a3', 10)$$, 'time.create revoked');
select tests.check(tests.count('select 1 from public.time_logs') = 1, 'one time log');
