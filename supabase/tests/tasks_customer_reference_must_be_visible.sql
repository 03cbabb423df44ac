-- A task may name only a customer the caller can see: another tenant's customer or one hidden
-- from the employee is refused; a visible one is accepted.
select tests.two_tenants();
insert into public.customers (id, tenant_id, name, assigned_to) values
  ('00000000-0000-4000-a000-0000000000e1', '00000000-0000-4000-a000-00000000000a', 'mine', '00000000-0000-4000-a000-0000000000a3'),
  ('00000000-0000-4000-a000-0000000000e2', '00000000-0000-4000-a000-00000000000a', 'hidden', null),
  ('00000000-0000-4000-a000-0000000000e3', '00000000-0000-4000-a000-00000000000b', 'B''s', null);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.tasks (tenant_id, title, created_by, assigned_to, customer_id) values
  ('00000000-0000-4000-a000-00000000000a', 'ok', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000e1');
select tests.refused($$insert into public.tasks (tenant_id, title, created_by, assigned_to, customer_id) values
  ('00000000-0000-4000-a000-00000000000a', 'x', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000e2')$$, 'hidden customer');
select tests.refused($$insert into public.tasks (tenant_id, title, created_by, assigned_to, customer_id) values
  ('00000000-0000-4000-a000-00000000000a', 'x', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000e3')$$, 'another tenant''s customer');
select tests.check(tests.count('select 1 from public.tasks') = 1, 'only the task naming a visible customer');
