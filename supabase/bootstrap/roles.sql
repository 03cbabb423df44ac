-- Local-only, cluster-wide: the roles a hosted Supabase project has, with the attributes it gives
-- them. Run as `supabase_admin`, the local superuser (as on hosted projects, where it is the only
-- one). Never applied to Supabase. Idempotent. Sources, in the supabase/postgres repository:
-- migrations/db/init-scripts/00000000000000-initial-schema.sql and 00000000000001-auth-schema.sql,
-- and migrations/db/migrations/10000000000000_demote-postgres.sql,
-- 20230529180330_alter_api_roles_for_inherit.sql, 20240319072844_lock_down_postgres_access_to_auth_*,
-- 20250605172253_grant_with_admin_to_postgres_16_and_above.sql,
-- 20260821154147_revoke_createrole_from_auth_admin.sql.
do $$
begin
  if not exists (select from pg_roles where rolname = 'postgres') then
    create role postgres login;
  end if;
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit noreplication;
  end if;
end $$;

-- The project owner's role: what migrations (`supabase db push`) and the dashboard run as.
-- Not a superuser: it creates roles and databases and bypasses RLS, nothing more.
alter role postgres nosuperuser createdb createrole login replication bypassrls;
alter role postgres set search_path to "$user", public, extensions;
-- The Data API's roles (inherit since 20230529); PostgREST logs in as authenticator and
-- switches to one of them per request.
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
grant anon, authenticated, service_role to authenticator;
-- PG16+: postgres administers the API roles (may grant them), as on hosted projects.
grant anon, authenticated, service_role to postgres with admin option;
-- supabase_auth_admin owns `auth` and runs the custom access token hook; no CREATEROLE since
-- 20260821, and postgres is no longer a member of it (20240319).
alter role supabase_auth_admin nocreaterole;
alter role supabase_auth_admin set search_path = auth;
