-- IdP groups neither make nor unmake an owner, and an IdP never changes an owner's membership:
-- linking one under another address, deactivating or deprovisioning one is refused (AO403).
select tests.two_tenants();
-- Made by tenant a's admin: a token works only while its creator is an active owner or admin.
insert into public.scim_tokens (tenant_id, name, token_hash, created_by)
values ('00000000-0000-4000-a000-00000000000a', 'IdP', sha256('token-of-a'::bytea), '00000000-0000-4000-a000-0000000000a2');
select set_config('request.jwt.claims', json_build_object('scim_token_sha256', encode(sha256('token-of-a'::bytea), 'hex'))::text, true);

do $$
begin
  insert into public.scim_users (tenant_id, id, user_id, user_name, email)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-00000000051c', '00000000-0000-4000-a000-0000000000a1', 'owner@a.test', 'someone.else@a.test');
  raise exception 'FAILED (not refused): re-addressing an owner';
exception when sqlstate 'AO403' then null;
end $$;
insert into public.scim_users (tenant_id, id, user_id, user_name)
values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-00000000051b', '00000000-0000-4000-a000-0000000000a1', 'owner@a.test');
insert into public.scim_groups (tenant_id, id, display_name) values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000903', 'Employees');
insert into public.scim_group_members (tenant_id, group_id, scim_user_id)
values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-000000000903', '00000000-0000-4000-a000-00000000051b');
select tests.check(
  (select role = 'owner' and active from public.memberships
   where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a1'),
  'the owner stays owner in the Employees group');

do $$
begin
  update public.scim_users set active = false where id = '00000000-0000-4000-a000-00000000051b';
  raise exception 'FAILED (not refused): deactivating an owner';
exception when sqlstate 'AO403' then null;
end $$;
do $$
begin
  delete from public.scim_users where id = '00000000-0000-4000-a000-00000000051b';
  raise exception 'FAILED (not refused): deprovisioning an owner';
exception when sqlstate 'AO403' then null;
end $$;
select tests.check(
  (select active from public.memberships
   where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a1'),
  'the owner is still active');
