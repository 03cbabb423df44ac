-- RLS helpers cheap enough to disappear. Measured on 1M tasks over 1k tenants, a 50-row task page
-- under RLS ran at 0.09–0.31× the same statement without RLS: the helpers were SQL functions
-- that cannot be inlined (security definer, or a SET clause), and Postgres plans such a function
-- afresh on every call, i.e. in every statement (/v1/me's statement planned claims() 26 times).
-- Now:
-- * claims(), current_user_id(), is_staff_admin() and may_read_permissions_of() read only the
--   request's settings or other helpers: plain SQL with no SET clause, so the planner inlines
--   them into the calling statement (they name everything schema-qualified, and authenticated
--   can create no function or operator anywhere on a search path, so there is nothing to hijack);
-- * every helper that reads a table is plpgsql (security definer, search_path pinned), whose
--   statements are planned once per connection and reused (Hyperdrive keeps connections);
-- * has_permission() answers from two index lookups (the membership, then the one override
--   for that permission) instead of building the whole permission set.
-- Semantics are unchanged: tenant and user from the verified claims, role, department,
-- permissions and `active` from the rows, read in every statement, so a deactivation, a
-- revocation or a role change applies to the very next request. Nothing a request's SQL can set
-- widens them: the only input is request.jwt.claims, exactly as before.

create or replace function private.claims() returns jsonb language sql stable as $$
  select coalesce(nullif(pg_catalog.current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

create or replace function private.current_user_id() returns uuid language sql stable as $$
  select nullif(private.claims() operator(pg_catalog.->>) 'sub', '')::uuid
$$;

create or replace function private.current_tenant() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  claimed uuid := nullif(private.claims() ->> 'tenant_id', '')::uuid;
begin
  return (select m.tenant_id from public.memberships m join public.tenants t on t.id = m.tenant_id
          where m.tenant_id = claimed and m.user_id = private.current_user_id() and m.active and t.status = 'active');
end $$;

create or replace function private.current_member_role() returns public.member_role
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select m.role from public.memberships m join public.tenants t on t.id = m.tenant_id
          where m.tenant_id = nullif(private.claims() ->> 'tenant_id', '')::uuid and m.user_id = private.current_user_id()
            and m.active and t.status = 'active');
end $$;

create or replace function private.current_department() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select m.department_id from public.memberships m join public.tenants t on t.id = m.tenant_id
          where m.tenant_id = nullif(private.claims() ->> 'tenant_id', '')::uuid and m.user_id = private.current_user_id()
            and m.active and t.status = 'active');
end $$;

create or replace function private.current_customer_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select m.customer_id from public.memberships m join public.tenants t on t.id = m.tenant_id
          where m.tenant_id = nullif(private.claims() ->> 'tenant_id', '')::uuid and m.user_id = private.current_user_id()
            and m.active and t.status = 'active' and m.role = 'customer');
end $$;

create or replace function private.my_tenant_ids() returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return query select m.tenant_id from public.memberships m join public.tenants t on t.id = m.tenant_id
               where m.user_id = private.current_user_id() and m.active and t.status = 'active';
end $$;

create or replace function private.current_permissions() returns public.app_permission[]
language plpgsql stable security definer set search_path = '' as $$
declare
  tenant uuid := nullif(private.claims() ->> 'tenant_id', '')::uuid;
  me uuid := private.current_user_id();
  r public.member_role;
begin
  select m.role into r from public.memberships m join public.tenants t on t.id = m.tenant_id
  where m.tenant_id = tenant and m.user_id = me and m.active and t.status = 'active';
  if r is null then
    return '{}';
  end if;
  return private.effective_permissions(r,
    array(select up.permission from public.user_permissions up where up.tenant_id = tenant and up.user_id = me and up.granted),
    array(select up.permission from public.user_permissions up where up.tenant_id = tenant and up.user_id = me and not up.granted));
end $$;

-- Same answer as `p = any (current_permissions())`: the override for p if there is one (never
-- a staff permission for a customer user, nor portal.access for staff), else the role's default.
create or replace function private.has_permission(p public.app_permission) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  tenant uuid := nullif(private.claims() ->> 'tenant_id', '')::uuid;
  me uuid := private.current_user_id();
  r public.member_role;
  granted boolean;
begin
  select m.role into r from public.memberships m join public.tenants t on t.id = m.tenant_id
  where m.tenant_id = tenant and m.user_id = me and m.active and t.status = 'active';
  if r is null or (r = 'customer') <> (p = 'portal.access') then
    return false;
  end if;
  select up.granted into granted from public.user_permissions up
  where up.tenant_id = tenant and up.user_id = me and up.permission = p;
  return coalesce(granted, p = any (private.role_permissions(r)));
end $$;

create or replace function private.is_staff_admin() returns boolean language sql stable as $$
  select coalesce(private.current_member_role() operator(pg_catalog.=) any ('{owner,admin}'::public.member_role[]), false)
$$;

create or replace function private.may_read_permissions_of(p_user uuid) returns boolean language sql stable as $$
  select p_user operator(pg_catalog.=) private.current_user_id() or private.has_permission('permissions.manage')
$$;

create or replace function private.my_event_ids() returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return query select a.event_id from public.calendar_event_attendees a
               where a.tenant_id = private.current_tenant() and a.user_id = private.current_user_id();
end $$;

create or replace function private.owns_event(p_event uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select 1 from public.calendar_events e
                 where e.id = p_event and e.tenant_id = private.current_tenant() and e.owner_id = private.current_user_id());
end $$;

create or replace function private.calendar_busy(p_from timestamptz, p_to timestamptz)
returns table (id uuid, starts_at timestamptz, ends_at timestamptz)
language plpgsql stable security definer set search_path = '' rows 500 as $$
declare
  tenant uuid := private.current_tenant();
begin
  if tenant is null or not private.has_permission('calendar.read') then
    return;
  end if;
  return query
    select e.id, e.starts_at, e.ends_at
    from public.calendar_events e
    where e.tenant_id = tenant
      and e.cancelled_at is null
      and e.starts_at < p_to
      and e.starts_at > p_from - interval '14 days'
      and e.ends_at > p_from;
end $$;

-- has_permission now reads the tables itself (it used to call current_permissions()).
alter function private.has_permission(public.app_permission) owner to app_private;
