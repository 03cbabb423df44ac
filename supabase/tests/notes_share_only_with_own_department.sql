-- An author shares a note only with their own department, on insert and on update.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.notes (tenant_id, author_id, title, department_id, shared_with_department) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'x', '00000000-0000-4000-a000-000000000da2', true)$$, 'share with another department');
insert into public.notes (id, tenant_id, author_id, title, department_id, shared_with_department) values
  ('00000000-0000-4000-a000-0000000000d1', '00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'mine', '00000000-0000-4000-a000-000000000da1', true);
select tests.refused($$update public.notes set department_id = '00000000-0000-4000-a000-000000000da2' where id = '00000000-0000-4000-a000-0000000000d1'$$, 'move the share to another department');
