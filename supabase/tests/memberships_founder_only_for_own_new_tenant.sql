-- Sign-up may add its own owner membership only to a tenant it just created that has no members.
select tests.two_tenants();
insert into auth.users (id, email) values ('00000000-0000-4000-a000-0000000000d1', 'new@d.test');
select tests.act_as('00000000-0000-4000-a000-0000000000d1', null);
select tests.refused('insert into public.memberships (tenant_id, user_id, role) values (''00000000-0000-4000-a000-00000000000a'', ''00000000-0000-4000-a000-0000000000d1'', ''owner'')', 'cannot join an existing tenant as owner');
insert into public.tenants (id, slug, name, created_by) values ('00000000-0000-4000-a000-00000000000d', 'sql-test-d', 'D', '00000000-0000-4000-a000-0000000000d1');
insert into public.memberships (tenant_id, user_id, role) values ('00000000-0000-4000-a000-00000000000d', '00000000-0000-4000-a000-0000000000d1', 'owner');
select tests.check(tests.count('select 1 from public.tenants where id = ''00000000-0000-4000-a000-00000000000d''') = 1, 'the founder sees the new tenant');
select tests.refused('insert into public.tenants (slug, name, created_by) values (''sql-test-e'', ''E'', ''00000000-0000-4000-a000-0000000000a1'')', 'cannot create a tenant in someone else''s name');
