-- A note may name only a customer its author can see; another tenant's customer is refused too.
select tests.two_tenants();
insert into public.customers (id, tenant_id, name, department_id) values
  ('00000000-0000-4000-a000-0000000000e1', '00000000-0000-4000-a000-00000000000a', 'sales customer', '00000000-0000-4000-a000-000000000da1'),
  ('00000000-0000-4000-a000-0000000000e2', '00000000-0000-4000-a000-00000000000a', 'support customer', '00000000-0000-4000-a000-000000000da2'),
  ('00000000-0000-4000-a000-0000000000e3', '00000000-0000-4000-a000-00000000000b', 'B''s', null);
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.notes (id, tenant_id, author_id, title, customer_id, shared_with_customer) values
  ('00000000-0000-4000-a000-0000000000d1', '00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'ok', '00000000-0000-4000-a000-0000000000e1', true);
select tests.refused($$insert into public.notes (tenant_id, author_id, title, customer_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'x', '00000000-0000-4000-a000-0000000000e2')$$, 'another department''s customer');
select tests.refused($$insert into public.notes (tenant_id, author_id, title, customer_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'x', '00000000-0000-4000-a000-0000000000e3')$$, 'another tenant''s customer');
select tests.refused($$update public.notes set customer_id = '00000000-0000-4000-a000-0000000000e2' where id = '00000000-0000-4000-a000-0000000000d1'$$, 'repoint to a hidden customer');
