-- Hosted Supabase applies migrations as `postgres`, which is not a superuser: it has CREATEROLE,
-- and since PG16 the creator of a role gets ADMIN on it but neither SET nor INHERIT. Giving an
-- object to a role (`alter function … owner to app_private`, as the migrations after this one
-- do) needs both: SET on the new owner (or "must be able to SET ROLE"), and that owner's CREATE
-- on the object's schema; and granting on an object owned by that role needs its privileges
-- (INHERIT). This runs first, so every later migration applies as it is, as postgres.
--
-- app_private owns the security-definer helpers: NOLOGIN, no BYPASSRLS, reads what its own
-- policies allow. The migrator holds it to hand objects over; no login role ever becomes it.
do $$
begin
  if not exists (select from pg_roles where rolname = 'app_private') then
    create role app_private nologin noinherit;
  end if;
end $$;
grant app_private to current_user with set true, inherit true;

create schema if not exists private;
revoke all on schema private from public;
-- An owner must hold CREATE on the schema of what it owns (checked when ownership changes).
grant usage, create on schema private to app_private;
grant create on schema public to app_private;
