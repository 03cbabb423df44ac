-- Deleting a business takes its SCIM directory with it: the sync triggers that run during the
-- cascade (members leaving groups, mappings going) find no business and write nothing.
select tests.two_tenants();
-- Made by tenant a's admin: a token works only while its creator is an active owner or admin.
insert into public.scim_tokens (tenant_id, name, token_hash, created_by)
values ('00000000-0000-4000-a000-00000000000a', 'IdP', sha256('token-of-a'::bytea), '00000000-0000-4000-a000-0000000000a2');
select set_config('request.jwt.claims', json_build_object('scim_token_sha256', encode(sha256('token-of-a'::bytea), 'hex'))::text, true);
insert into public.scim_users (tenant_id, id, user_id, user_name, email) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-00000000051a', '00000000-0000-4000-a000-0000000000a3', 'employee@a.test', 'employee@a.test'),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-00000000051c', '00000000-0000-4000-a000-0000000000c1', 'both@ab.test', 'both@ab.test');
insert into public.scim_groups (tenant_id, id, display_name) values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000901', 'Managers');
insert into public.scim_group_members (tenant_id, group_id, scim_user_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000901', '00000000-0000-4000-a000-00000000051a'),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000901', '00000000-0000-4000-a000-00000000051c');
select tests.check(
  (select count(*) = 2 from public.memberships where tenant_id = '00000000-0000-4000-a000-00000000000a' and role = 'manager'),
  'both are managers through the group');

select set_config('request.jwt.claims', '', true);
delete from public.tenants where id = '00000000-0000-4000-a000-00000000000a';
select tests.check(not exists (select 1 from public.scim_users where tenant_id = '00000000-0000-4000-a000-00000000000a'), 'the directory went with the business');
select tests.check(not exists (select 1 from public.memberships where tenant_id = '00000000-0000-4000-a000-00000000000a'), 'so did its memberships');
select tests.check(
  (select role = 'manager' from public.memberships where tenant_id = '00000000-0000-4000-a000-00000000000b' and user_id = '00000000-0000-4000-a000-0000000000c1'),
  'the other business is untouched');
