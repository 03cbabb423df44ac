-- A customer user reads the notes shared with their own customer record, nothing else: not a
-- note about them that is not shared, not one shared with another customer.
select tests.two_tenants();
insert into public.customers (id, tenant_id, name) values
  ('00000000-0000-4000-a000-0000000000e1', '00000000-0000-4000-a000-00000000000a', 'Carl'),
  ('00000000-0000-4000-a000-0000000000e2', '00000000-0000-4000-a000-00000000000a', 'Someone else');
update public.memberships set customer_id = '00000000-0000-4000-a000-0000000000e1'
  where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a4';
insert into public.notes (tenant_id, author_id, title, customer_id, shared_with_customer) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'for Carl', '00000000-0000-4000-a000-0000000000e1', true),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'about Carl, internal', '00000000-0000-4000-a000-0000000000e1', false),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'for someone else', '00000000-0000-4000-a000-0000000000e2', true);
select tests.act_as('00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notes') = 1, 'exactly one note');
select tests.check(tests.count('select 1 from public.notes where title = ''for Carl''') = 1, 'the one shared with them');
select tests.refused($$insert into public.notes (tenant_id, author_id, title) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a4', 'from a customer')$$, 'customers do not write notes');
