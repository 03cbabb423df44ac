-- Tenancy: businesses (tenants), who belongs to them (memberships) and per-person settings.
-- Isolation is enforced here, by RLS, never by handler code remembering a filter.

-- Security-definer helpers run as this role: it reads memberships and tenants through explicit
-- policies of its own, so nothing depends on a superuser or BYPASSRLS owner (true on Supabase too).
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'app_private') then
    create role app_private nologin noinherit;
  end if;
end $$;

create schema if not exists private;
revoke all on schema private from public;
-- Policies run as the querying role, so it needs to reach the helpers; PostgREST never exposes `private`.
grant usage on schema private to authenticated;

create type public.member_role as enum ('owner', 'admin', 'manager', 'employee', 'customer');
create type public.tenant_status as enum ('active', 'suspended');

create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique
    check (slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'),
  name text not null check (char_length(name) between 1 and 200),
  plan text not null default 'free' check (plan in ('free', 'pro', 'enterprise')),
  status public.tenant_status not null default 'active',
  primary_host text unique check (primary_host = lower(primary_host) and char_length(primary_host) <= 253),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.tenants is 'A business. Global table: it is the tenant itself, so it has no tenant_id.';

create table public.memberships (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.member_role not null default 'employee',
  -- The person as this business knows them (SCIM provisions these per tenant).
  email text check (char_length(email) <= 320),
  display_name text check (char_length(display_name) <= 200),
  department text check (char_length(department) between 1 and 100),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
-- "Which businesses am I in" is the one lookup that starts from the person, not the tenant.
create index memberships_user_id_idx on public.memberships (user_id) include (tenant_id, active, role);

create table public.user_settings (
  user_id uuid primary key references auth.users (id) on delete cascade,
  active_tenant_id uuid references public.tenants (id) on delete set null,
  timezone text not null default 'UTC',
  locale text not null default 'en-US' check (locale ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$'),
  updated_at timestamptz not null default now()
);
comment on table public.user_settings is 'Per-person settings. Global per user (a person may belong to several tenants); RLS keys on user_id.';
create index user_settings_active_tenant_id_idx on public.user_settings (active_tenant_id);

-- IANA zones only: Postgres also accepts abbreviations and POSIX offsets, which the API does not.
create function private.is_iana_timezone(tz text) returns boolean
language plpgsql immutable set search_path = '' as $$
begin
  if tz is null or tz !~ '^(UTC|[A-Za-z]+(/[A-Za-z0-9_+-]+){1,2})$' then
    return false;
  end if;
  perform now() at time zone tz;
  return true;
exception when others then
  return false;
end $$;
alter table public.user_settings add constraint user_settings_timezone_iana check (private.is_iana_timezone(timezone));

create function private.touch_updated_at() returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;
create trigger tenants_touch before update on public.tenants for each row execute function private.touch_updated_at();
create trigger memberships_touch before update on public.memberships for each row execute function private.touch_updated_at();
create trigger user_settings_touch before update on public.user_settings for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Helpers. security definer so they can read memberships without recursing into its policies;
-- stable, and called as (select private.fn()) so Postgres evaluates them once per statement.
-- Tenant and user come from the verified token's claims; role and `active` from the membership
-- row, so a change takes effect on the very next request, not at token expiry.
-- ---------------------------------------------------------------------------------------------

create function private.claims() returns jsonb language sql stable set search_path = '' as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

create function private.current_user_id() returns uuid language sql stable set search_path = '' as $$
  select nullif(private.claims() ->> 'sub', '')::uuid
$$;

-- The token's tenant, but only while the caller's membership there is active and the tenant is
-- active: a stale token for a tenant the person has left sees nothing.
create function private.current_tenant() returns uuid
language sql stable security definer set search_path = '' as $$
  select m.tenant_id
  from public.memberships m
  join public.tenants t on t.id = m.tenant_id
  where m.tenant_id = nullif(private.claims() ->> 'tenant_id', '')::uuid
    and m.user_id = private.current_user_id()
    and m.active
    and t.status = 'active'
$$;

create function private.current_member_role() returns public.member_role
language sql stable security definer set search_path = '' as $$
  select m.role
  from public.memberships m
  where m.tenant_id = private.current_tenant()
    and m.user_id = private.current_user_id()
$$;

create function private.current_department() returns text
language sql stable security definer set search_path = '' as $$
  select m.department
  from public.memberships m
  where m.tenant_id = private.current_tenant()
    and m.user_id = private.current_user_id()
$$;

-- Every tenant the caller is an active member of (used as `id in (select private.my_tenant_ids())`).
create function private.my_tenant_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select m.tenant_id
  from public.memberships m
  join public.tenants t on t.id = m.tenant_id
  where m.user_id = private.current_user_id() and m.active and t.status = 'active'
$$;

create function private.is_staff_admin() returns boolean language sql stable set search_path = '' as $$
  select coalesce((select private.current_member_role()) in ('owner', 'admin'), false)
$$;

-- Sign-up: the caller created this tenant and nobody is a member of it yet.
create function private.is_unclaimed_tenant_of_caller(p_tenant uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.tenants t
    where t.id = p_tenant and t.created_by = private.current_user_id()
      and not exists (select 1 from public.memberships m where m.tenant_id = t.id)
  )
$$;

-- First statement of every tenant-scoped request (pipelined with it, so it costs no round trip):
-- refuses an inactive membership and a request on another tenant's host.
create function private.enter_tenant(p_host_slug text, p_custom_host text) returns void
language plpgsql stable security definer set search_path = '' as $$
declare
  claimed uuid := nullif(private.claims() ->> 'tenant_id', '')::uuid;
begin
  if private.current_tenant() is null then
    raise exception 'membership_inactive' using errcode = 'AO403';
  end if;
  if p_host_slug is not null and not exists (
    select 1 from public.tenants t where t.id = claimed and t.slug = p_host_slug
  ) then
    raise exception 'tenant_mismatch' using errcode = 'AO403';
  end if;
  if p_custom_host is not null and not exists (
    select 1 from public.tenants t where t.id = claimed and t.primary_host = p_custom_host
  ) then
    raise exception 'tenant_mismatch' using errcode = 'AO403';
  end if;
end $$;

grant usage on schema private to app_private;
grant usage on schema auth to app_private;
alter function private.current_tenant() owner to app_private;
alter function private.current_member_role() owner to app_private;
alter function private.current_department() owner to app_private;
alter function private.my_tenant_ids() owner to app_private;
alter function private.is_unclaimed_tenant_of_caller(uuid) owner to app_private;
alter function private.enter_tenant(text, text) owner to app_private;

revoke all on all functions in schema private from public;
grant execute on all functions in schema private to app_private;
grant execute on function
  private.claims(), private.current_user_id(), private.current_tenant(), private.current_member_role(),
  private.current_department(), private.my_tenant_ids(), private.is_staff_admin(),
  private.is_unclaimed_tenant_of_caller(uuid), private.enter_tenant(text, text), private.is_iana_timezone(text)
to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Membership rules no policy can express row by row: only an owner grants or removes the owner
-- role, an admin never edits an owner, and a tenant always keeps one active owner.
-- ---------------------------------------------------------------------------------------------
create function private.guard_membership_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  -- The actor's role in the tenant of the row being changed (not in the token's tenant).
  actor_role public.member_role := (
    select m.role from public.memberships m
    where m.tenant_id = coalesce(new.tenant_id, old.tenant_id)
      and m.user_id = private.current_user_id() and m.active
  );
  remaining int;
begin
  -- Migrations, seeds and sign-up (no membership yet) have no role here; policies bound them.
  if actor_role is null then
    return coalesce(new, old);
  end if;
  -- Deleting the whole tenant cascades here; its last owner may go with it.
  if tg_op = 'DELETE' and not exists (select 1 from public.tenants t where t.id = old.tenant_id) then
    return old;
  end if;
  if tg_op in ('UPDATE', 'DELETE') and old.role = 'owner' and actor_role <> 'owner' then
    raise exception 'only an owner may change an owner' using errcode = 'AO403';
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.role = 'owner' and actor_role <> 'owner'
     and (tg_op = 'INSERT' or old.role <> 'owner') then
    raise exception 'only an owner may grant the owner role' using errcode = 'AO403';
  end if;
  if tg_op in ('UPDATE', 'DELETE') and old.role = 'owner' and old.active
     and (tg_op = 'DELETE' or new.role <> 'owner' or not new.active) then
    select count(*) into remaining from public.memberships m
    where m.tenant_id = old.tenant_id and m.role = 'owner' and m.active and m.user_id <> old.user_id;
    if remaining = 0 then
      raise exception 'last_owner' using errcode = 'AO409';
    end if;
  end if;
  return coalesce(new, old);
end $$;
alter function private.guard_membership_change() owner to app_private;
revoke all on function private.guard_membership_change() from public;
create trigger memberships_guard before insert or update or delete on public.memberships
  for each row execute function private.guard_membership_change();

-- ---------------------------------------------------------------------------------------------
-- Row-Level Security: enabled and forced (the table owner is bound too), one policy per operation.
-- ---------------------------------------------------------------------------------------------
alter table public.tenants enable row level security;
alter table public.tenants force row level security;
alter table public.memberships enable row level security;
alter table public.memberships force row level security;
alter table public.user_settings enable row level security;
alter table public.user_settings force row level security;

revoke all on public.tenants, public.memberships, public.user_settings from anon, authenticated;
grant select, delete on public.tenants to authenticated;
grant insert (id, slug, name, primary_host, created_by) on public.tenants to authenticated;
grant update (name, primary_host) on public.tenants to authenticated;
grant select, delete on public.memberships to authenticated;
grant insert (tenant_id, user_id, role, email, display_name, department, active) on public.memberships to authenticated;
grant update (role, department, active) on public.memberships to authenticated;
grant select, insert, update, delete on public.user_settings to authenticated;
grant select on public.tenants, public.memberships to app_private;

create policy tenants_select_app_private on public.tenants for select to app_private using (true);
create policy memberships_select_app_private on public.memberships for select to app_private using (true);

create policy tenants_select_member on public.tenants for select to authenticated
  using (id in (select private.my_tenant_ids()));
create policy tenants_insert_signup on public.tenants for insert to authenticated
  with check (created_by = (select private.current_user_id()));
create policy tenants_update_owner_admin on public.tenants for update to authenticated
  using (id = (select private.current_tenant()) and (select private.is_staff_admin()))
  with check (id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy tenants_delete_owner on public.tenants for delete to authenticated
  using (id = (select private.current_tenant()) and (select private.current_member_role()) = 'owner');

-- Customers see only their own membership; staff see their tenant's members.
create policy memberships_select_self_or_staff on public.memberships for select to authenticated
  using (
    user_id = (select private.current_user_id())
    or (tenant_id = (select private.current_tenant())
        and (select private.current_member_role()) <> 'customer')
  );
create policy memberships_insert_admin_or_founder on public.memberships for insert to authenticated
  with check (
    (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()))
    or (user_id = (select private.current_user_id()) and role = 'owner'
        and private.is_unclaimed_tenant_of_caller(tenant_id))
  );
create policy memberships_update_owner_admin on public.memberships for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()))
  with check (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy memberships_delete_owner_admin on public.memberships for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));

-- A person's own settings; the active tenant must be one they actively belong to.
create policy user_settings_select_own on public.user_settings for select to authenticated
  using (user_id = (select private.current_user_id()));
create policy user_settings_insert_own on public.user_settings for insert to authenticated
  with check (user_id = (select private.current_user_id())
    and (active_tenant_id is null or active_tenant_id in (select private.my_tenant_ids())));
create policy user_settings_update_own on public.user_settings for update to authenticated
  using (user_id = (select private.current_user_id()))
  with check (user_id = (select private.current_user_id())
    and (active_tenant_id is null or active_tenant_id in (select private.my_tenant_ids())));
create policy user_settings_delete_own on public.user_settings for delete to authenticated
  using (user_id = (select private.current_user_id()));
