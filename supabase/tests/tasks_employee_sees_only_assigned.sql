-- An employee sees the tasks assigned to them or created by them, not a colleague's; the owner
-- (tasks.read_all) sees all of them.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 'mine', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3'),
  ('00000000-0000-4000-a000-0000000000f2', '00000000-0000-4000-a000-00000000000a', 'colleague''s', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000c1'),
  ('00000000-0000-4000-a000-0000000000f3', '00000000-0000-4000-a000-00000000000a', 'created by me', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000c1'),
  ('00000000-0000-4000-a000-0000000000f4', '00000000-0000-4000-a000-00000000000a', 'unassigned', '00000000-0000-4000-a000-0000000000a1', null);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 2, 'the employee sees two tasks');
select tests.check(tests.count('select 1 from public.tasks where id in (''00000000-0000-4000-a000-0000000000f1'', ''00000000-0000-4000-a000-0000000000f3'')') = 2, 'the assigned one and the one they created');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.tasks') = 4, 'the owner sees all four');
