-- Only tasks.delete (owner/admin) soft-deletes: the assignee is refused; the admin's soft delete
-- is stamped with the admin and the transaction's time.
select tests.two_tenants();
insert into public.tasks (id, tenant_id, title, created_by, assigned_to) values
  ('00000000-0000-4000-a000-0000000000f1', '00000000-0000-4000-a000-00000000000a', 't', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$update public.tasks set deleted_at = now() where id = '00000000-0000-4000-a000-0000000000f1'$$, 'assignee and creator soft-deletes');
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
update public.tasks set deleted_at = '2000-01-01' where id = '00000000-0000-4000-a000-0000000000f1';
select tests.act_as_owner();
select tests.check((select (deleted_by, deleted_at) = ('00000000-0000-4000-a000-0000000000a2'::uuid, now()) from public.tasks where id = '00000000-0000-4000-a000-0000000000f1'), 'stamped with the admin and now()');
