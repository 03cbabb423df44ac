-- Departments, and the permission model every office policy asks: role defaults plus explicit
-- per-member grants and revocations, answered by one stable helper once per statement.

create table public.departments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  unique (tenant_id, name)
);
create trigger departments_touch before update on public.departments for each row execute function private.touch_updated_at();

-- Members belong to one department (was free text): move the names into departments.
alter table public.memberships add column department_id uuid;
insert into public.departments (tenant_id, name)
  select distinct tenant_id, department from public.memberships where department is not null;
update public.memberships m set department_id = d.id
  from public.departments d where d.tenant_id = m.tenant_id and d.name = m.department;
alter table public.memberships drop column department;
alter table public.memberships add constraint memberships_department_fk
  foreign key (tenant_id, department_id) references public.departments (tenant_id, id) on delete set null (department_id);
create index memberships_tenant_department_idx on public.memberships (tenant_id, department_id);

-- Deleting a department sets its members' department_id to null through the foreign key. That
-- is not an edit of the member, so the owner rules must not refuse it (an admin may delete a
-- department an owner is in). Otherwise unchanged from 20261123000100_create_tenancy.sql.
create or replace function private.guard_membership_change() returns trigger
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
  -- The department was deleted and nothing else changes: the foreign key's set null.
  if tg_op = 'UPDATE' and old.department_id is not null and new.department_id is null
     and to_jsonb(new) - 'department_id' - 'updated_at' = to_jsonb(old) - 'department_id' - 'updated_at'
     and not exists (select 1 from public.departments d where d.tenant_id = old.tenant_id and d.id = old.department_id) then
    return new;
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
revoke update on public.memberships from authenticated;
grant update (role, department_id, active) on public.memberships to authenticated;
revoke insert on public.memberships from authenticated;
grant insert (tenant_id, user_id, role, email, display_name, department_id, active) on public.memberships to authenticated;

create type public.app_permission as enum (
  'calendar.read',
  'appointments.write_own', 'appointments.read_all', 'appointments.manage',
  'tasks.write_assigned', 'tasks.read_all', 'tasks.manage', 'tasks.delete',
  'notes.write_own', 'notes.read_team',
  'customers.read_assigned', 'customers.read_all', 'customers.write', 'customers.delete',
  'time.create',
  'members.manage', 'departments.manage', 'permissions.manage', 'audit.read',
  'portal.access'
);

-- Role defaults. Owners and admins: everything staff can do; managers: every read_all/read_team
-- plus managing tasks and customers; employees: their own and assigned work; customers: the portal.
create function private.role_permissions(r public.member_role) returns public.app_permission[]
language sql immutable set search_path = '' as $$
  select case r
    when 'owner' then array(select p from unnest(enum_range(null::public.app_permission)) p where p <> 'portal.access')
    when 'admin' then array(select p from unnest(enum_range(null::public.app_permission)) p where p <> 'portal.access')
    when 'manager' then array['calendar.read', 'appointments.write_own', 'appointments.read_all',
      'tasks.write_assigned', 'tasks.read_all', 'tasks.manage', 'notes.write_own', 'notes.read_team',
      'customers.read_assigned', 'customers.read_all', 'customers.write', 'time.create']::public.app_permission[]
    when 'employee' then array['calendar.read', 'appointments.write_own', 'tasks.write_assigned',
      'notes.write_own', 'customers.read_assigned', 'time.create']::public.app_permission[]
    when 'customer' then array['portal.access']::public.app_permission[]
    else '{}'::public.app_permission[]
  end
$$;

create table public.user_permissions (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null,
  permission public.app_permission not null,
  -- true: granted beyond the role's defaults; false: revoked from them.
  granted boolean not null,
  created_by uuid default private.current_user_id(),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id, permission),
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade
);

-- Effective permissions: the role's defaults plus grants, minus revocations. Staff permissions
-- only ever apply to staff and portal.access only to customers, whatever overrides are stored
-- (a grant to a customer user, or one left over from a role change, gives nothing).
create function private.effective_permissions(
  p_role public.member_role, p_grants public.app_permission[], p_revocations public.app_permission[]
) returns public.app_permission[]
language sql immutable set search_path = '' as $$
  select coalesce(array_agg(p order by p), '{}')
  from (select unnest(private.role_permissions(p_role)) union select unnest(p_grants)) s (p)
  where p_role is not null
    and p <> all (coalesce(p_revocations, '{}'))
    and (p_role = 'customer') = (p = 'portal.access')
$$;

-- The caller's effective permissions in the current tenant (empty when not an active member).
create function private.current_permissions() returns public.app_permission[]
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select private.effective_permissions(m.role,
      array(select up.permission from public.user_permissions up
            where up.tenant_id = m.tenant_id and up.user_id = m.user_id and up.granted),
      array(select up.permission from public.user_permissions up
            where up.tenant_id = m.tenant_id and up.user_id = m.user_id and not up.granted))
    from public.memberships m
    where m.tenant_id = private.current_tenant() and m.user_id = private.current_user_id()
  ), '{}')
$$;

create function private.has_permission(p public.app_permission) returns boolean
language sql stable set search_path = '' as $$
  select p = any (private.current_permissions())
$$;

-- Whose overrides the caller may read: their own, or everyone's with permissions.manage (the
-- user_permissions select policy, for one member; the API asks it to tell 403 from "none").
create function private.may_read_permissions_of(p_user uuid) returns boolean
language sql stable set search_path = '' as $$
  select p_user = private.current_user_id() or private.has_permission('permissions.manage')
$$;

-- Whose overrides the caller may change: never their own, only with permissions.manage, only
-- a member of the current tenant, and (as with memberships) only an owner changes an owner's.
create function private.may_change_permissions_of(p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_user is distinct from private.current_user_id()
    and private.has_permission('permissions.manage')
    and exists (select 1 from public.memberships m
                where m.tenant_id = private.current_tenant() and m.user_id = p_user
                  and (m.role <> 'owner' or private.current_member_role() = 'owner'))
$$;

-- Staff permissions are for staff members, portal.access for customer users.
create function private.permission_fits_member(p_user uuid, p_permission public.app_permission) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.memberships m
                 where m.tenant_id = private.current_tenant() and m.user_id = p_user
                   and (m.role = 'customer') = (p_permission = 'portal.access'))
$$;

-- Was text; now the department's id.
drop function private.current_department();
create function private.current_department() returns uuid
language sql stable security definer set search_path = '' as $$
  select m.department_id from public.memberships m
  where m.tenant_id = private.current_tenant() and m.user_id = private.current_user_id()
$$;

-- The tenant guard now also keeps staff routes and the customer portal apart, in the same
-- pipelined statement: a customer cannot reach a staff route, nor staff the portal.
drop function private.enter_tenant(text, text);
create function private.enter_tenant(p_host_slug text, p_custom_host text, p_audience text) returns void
language plpgsql stable security definer set search_path = '' as $$
declare
  claimed uuid := nullif(private.claims() ->> 'tenant_id', '')::uuid;
  role public.member_role := private.current_member_role();
begin
  if private.current_tenant() is null then
    raise exception 'membership_inactive' using errcode = 'AO403';
  end if;
  if p_host_slug is not null and not exists (select 1 from public.tenants t where t.id = claimed and t.slug = p_host_slug)
     or p_custom_host is not null and not exists (select 1 from public.tenants t where t.id = claimed and t.primary_host = p_custom_host) then
    raise exception 'tenant_mismatch' using errcode = 'AO403';
  end if;
  if p_audience = 'staff' and role = 'customer' then
    raise exception 'this route is for staff; customers use /v1/portal' using errcode = 'AO403';
  end if;
  if p_audience = 'portal' and role <> 'customer' then
    raise exception 'the portal is for customers' using errcode = 'AO403';
  end if;
end $$;

alter function private.current_permissions() owner to app_private;
alter function private.may_change_permissions_of(uuid) owner to app_private;
alter function private.permission_fits_member(uuid, public.app_permission) owner to app_private;
alter function private.current_department() owner to app_private;
alter function private.enter_tenant(text, text, text) owner to app_private;
revoke all on function private.role_permissions(public.member_role),
  private.effective_permissions(public.member_role, public.app_permission[], public.app_permission[]),
  private.current_permissions(), private.has_permission(public.app_permission), private.may_read_permissions_of(uuid),
  private.may_change_permissions_of(uuid), private.permission_fits_member(uuid, public.app_permission),
  private.current_department(), private.enter_tenant(text, text, text) from public;
grant execute on function private.role_permissions(public.member_role),
  private.effective_permissions(public.member_role, public.app_permission[], public.app_permission[]),
  private.current_permissions(), private.has_permission(public.app_permission), private.may_read_permissions_of(uuid),
  private.may_change_permissions_of(uuid), private.permission_fits_member(uuid, public.app_permission),
  private.current_department(), private.enter_tenant(text, text, text)
  to authenticated, app_private;

-- Managing members is now a permission (owner/admin by default), not a hard-coded role check.
drop policy memberships_insert_admin_or_founder on public.memberships;
drop policy memberships_update_owner_admin on public.memberships;
drop policy memberships_delete_owner_admin on public.memberships;
create policy memberships_insert_manager_or_founder on public.memberships for insert to authenticated
  with check (
    (tenant_id = (select private.current_tenant()) and (select private.has_permission('members.manage')))
    or (user_id = (select private.current_user_id()) and role = 'owner'
        and private.is_unclaimed_tenant_of_caller(tenant_id))
  );
create policy memberships_update_members_manage on public.memberships for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('members.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('members.manage')));
create policy memberships_delete_members_manage on public.memberships for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('members.manage')));
drop policy audit_log_select_owner_admin on public.audit_log;
create policy audit_log_select_audit_read on public.audit_log for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('audit.read')));

-- RLS
alter table public.departments enable row level security;
alter table public.departments force row level security;
alter table public.user_permissions enable row level security;
alter table public.user_permissions force row level security;
revoke all on public.departments, public.user_permissions from anon, authenticated;
grant select, delete on public.departments to authenticated;
grant insert (tenant_id, name) on public.departments to authenticated;
grant update (name) on public.departments to authenticated;
grant select, delete on public.user_permissions to authenticated;
grant insert (tenant_id, user_id, permission, granted) on public.user_permissions to authenticated;
grant update (granted) on public.user_permissions to authenticated;
grant select on public.departments, public.user_permissions to app_private;

create policy departments_select_member on public.departments for select to authenticated
  using (tenant_id = (select private.current_tenant()));
create policy departments_insert_manage on public.departments for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('departments.manage')));
create policy departments_update_manage on public.departments for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('departments.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('departments.manage')));
create policy departments_delete_manage on public.departments for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('departments.manage')));
create policy departments_select_app_private on public.departments for select to app_private using (true);

-- A member sees their own overrides; permission managers see everyone's. Changing them follows
-- private.may_change_permissions_of (never your own; only an owner changes an owner's) and
-- private.permission_fits_member (no staff permissions for customer users, and the reverse).
-- Those are called per row: writes touch one row at a time.
create policy user_permissions_select_own_or_manager on public.user_permissions for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (user_id = (select private.current_user_id()) or (select private.has_permission('permissions.manage'))));
create policy user_permissions_insert_manager on public.user_permissions for insert to authenticated
  with check (tenant_id = (select private.current_tenant())
    and private.may_change_permissions_of(user_id) and private.permission_fits_member(user_id, permission));
create policy user_permissions_update_manager on public.user_permissions for update to authenticated
  using (tenant_id = (select private.current_tenant()) and private.may_change_permissions_of(user_id))
  with check (tenant_id = (select private.current_tenant())
    and private.may_change_permissions_of(user_id) and private.permission_fits_member(user_id, permission));
create policy user_permissions_delete_manager on public.user_permissions for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and private.may_change_permissions_of(user_id));
create policy user_permissions_select_app_private on public.user_permissions for select to app_private using (true);

create trigger departments_audit after insert or update or delete on public.departments
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger user_permissions_audit after insert or update or delete on public.user_permissions
  for each row execute function private.audit_row('tenant_id', 'user_id');
