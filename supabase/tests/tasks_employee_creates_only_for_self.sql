-- An employee creates tasks assigned to themselves only; tasks.manage assigns anyone.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.tasks (tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-00000000000a', 'mine', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a3');
select tests.refused($$insert into public.tasks (tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-00000000000a', 'theirs', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000c1')$$, 'employee assigns a colleague');
select tests.refused($$insert into public.tasks (tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-00000000000a', 'as owner', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000a3')$$, 'employee forges created_by');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
insert into public.tasks (tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-00000000000a', 'for the colleague', '00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-0000000000c1');
select tests.act_as_owner();
select tests.check(tests.count('select 1 from public.tasks where tenant_id = ''00000000-0000-4000-a000-00000000000a''') = 2, 'two tasks were created');
