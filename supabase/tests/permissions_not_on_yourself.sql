-- Nobody changes their own permissions, not even an owner or admin.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a2', 'tasks.read_all', true)$$, 'admin grants themself');
select tests.refused($$insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a2', 'audit.read', false)$$, 'admin revokes from themself');
select tests.act_as_owner();
insert into public.user_permissions (tenant_id, user_id, permission, granted)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a2', 'audit.read', false);
select tests.act_as('00000000-0000-4000-a000-0000000000a2', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.user_permissions') = 1, 'the admin sees their own revocation');
delete from public.user_permissions where user_id = '00000000-0000-4000-a000-0000000000a2';
update public.user_permissions set granted = true where user_id = '00000000-0000-4000-a000-0000000000a2';
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.user_permissions where user_id = '00000000-0000-4000-a000-0000000000a2' and not granted$$) = 1,
  'and can neither lift nor delete it');
