-- Only Supabase Auth may run the access token hook; it drops the tenant when the membership ends.
select tests.two_tenants();
insert into public.user_settings (user_id, active_tenant_id) values ('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(
  (public.custom_access_token_hook('{"user_id":"00000000-0000-4000-a000-0000000000a3","claims":{"tenant_id":"stale"}}') -> 'claims' ->> 'tenant_role') = 'employee',
  'the hook adds the role');
update public.memberships set active = false where user_id = '00000000-0000-4000-a000-0000000000a3';
select tests.check(
  not (public.custom_access_token_hook('{"user_id":"00000000-0000-4000-a000-0000000000a3","claims":{"tenant_id":"stale"}}') -> 'claims' ? 'tenant_id'),
  'an inactive membership removes the tenant claim');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused('select public.custom_access_token_hook(''{}'')', 'authenticated cannot call the hook');
