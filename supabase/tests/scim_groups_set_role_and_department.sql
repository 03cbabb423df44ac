-- SCIM group membership decides the member's role and department: the highest mapped role wins,
-- the department comes from a mapped group that names one, and leaving a group recomputes both.
-- The sync triggers run as app_private, bound by RLS to the tenant of the presented SCIM token.
select tests.two_tenants();
-- Made by tenant a's admin: a token works only while its creator is an active owner or admin.
insert into public.scim_tokens (tenant_id, name, token_hash, created_by)
values ('00000000-0000-4000-a000-00000000000a', 'IdP', sha256('token-of-a'::bytea), '00000000-0000-4000-a000-0000000000a2');
select set_config('request.jwt.claims', json_build_object('scim_token_sha256', encode(sha256('token-of-a'::bytea), 'hex'))::text, true);

insert into public.scim_users (tenant_id, id, user_id, user_name, email)
values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-00000000051a', '00000000-0000-4000-a000-0000000000a3', 'employee@a.test', 'employee@a.test');
insert into public.scim_groups (tenant_id, id, display_name) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000901', 'ADMINS'),
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000902', 'Support-Team');

insert into public.scim_group_members (tenant_id, group_id, scim_user_id)
values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000902', '00000000-0000-4000-a000-00000000051a');
select tests.check(
  (select role = 'employee' and department_id = '00000000-0000-4000-a000-000000000da2' from public.memberships
   where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3'),
  'Support-Team: employee in the existing support department (matched case-insensitively)');

insert into public.scim_group_members (tenant_id, group_id, scim_user_id)
values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000901', '00000000-0000-4000-a000-00000000051a');
select tests.check(
  (select role = 'admin' and department_id = '00000000-0000-4000-a000-000000000da2' from public.memberships
   where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3'),
  'Admins too: the highest role wins, the department stays');

delete from public.scim_group_members where group_id = '00000000-0000-4000-a000-000000000901';
select tests.check(
  (select role = 'employee' from public.memberships
   where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3'),
  'leaving Admins: back to employee');

-- Without a valid SCIM token of this tenant the sync may not write its memberships: refused (RLS
-- of app_private), and nothing moves.
select set_config('request.jwt.claims', json_build_object('scim_token_sha256', encode(sha256('no-such-token'::bytea), 'hex'))::text, true);
do $$
begin
  insert into public.scim_group_members (tenant_id, group_id, scim_user_id)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000901', '00000000-0000-4000-a000-00000000051a');
  raise exception 'FAILED (not refused): a group change under no valid SCIM token';
exception when insufficient_privilege then null;
end $$;
select tests.check(
  (select role = 'employee' from public.memberships
   where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3'),
  'the member is unchanged');
