-- Supabase Auth's custom access token hook: copies the person's active tenant (a user setting)
-- and their role there into the token. RLS still re-checks the membership on every statement,
-- so a stale token cannot reach a tenant the person has left.
-- Enable in supabase/config.toml ([auth.hook.custom_access_token]) or the dashboard.

grant select on public.user_settings to app_private;
create policy user_settings_select_app_private on public.user_settings for select to app_private using (true);

create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  active_tenant uuid;
  active_role public.member_role;
begin
  select m.tenant_id, m.role into active_tenant, active_role
  from public.user_settings s
  join public.memberships m on m.tenant_id = s.active_tenant_id and m.user_id = s.user_id and m.active
  join public.tenants t on t.id = m.tenant_id and t.status = 'active'
  where s.user_id = (event ->> 'user_id')::uuid;

  if active_tenant is null then
    claims := claims - 'tenant_id' - 'tenant_role';
  else
    claims := claims || jsonb_build_object('tenant_id', active_tenant, 'tenant_role', active_role);
  end if;
  return jsonb_set(event, '{claims}', claims);
end $$;
alter function public.custom_access_token_hook(jsonb) owner to app_private;
grant usage on schema public to app_private;
revoke all on function public.custom_access_token_hook(jsonb) from public, anon, authenticated;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;

-- The role the API (through Hyperdrive) logs in as: no privileges of its own, allowed only to
-- become `authenticated` inside each request's transaction. Deployments give it LOGIN and a
-- password out of band (see README); nothing here holds a secret.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'office_api') then
    create role office_api nologin noinherit nobypassrls;
  end if;
end $$;
grant authenticated to office_api;
