-- Nobody reaches more than their own rank. Found by attack: a manager whom the owner granted only
-- members.manage set their own role to admin and so gained permissions.manage, audit.read, …
-- Rules, held by the membership trigger and the user_permissions policies:
--   * nobody raises their own role;
--   * a role given (insert or update) is never above the actor's own;
--   * a member whose role is above the actor's is not the actor's to change (an admin never
--     edits an owner, a manager never an admin);
--   * a permission is granted (or a revocation lifted) only by someone who holds it.

create function private.role_rank(r public.member_role) returns int
language sql immutable set search_path = '' as $$
  select case r when 'owner' then 4 when 'admin' then 3 when 'manager' then 2 when 'employee' then 1 else 0 end
$$;
revoke all on function private.role_rank(public.member_role) from public;
grant execute on function private.role_rank(public.member_role) to authenticated, app_private;

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
  if tg_op = 'UPDATE' and old.user_id = private.current_user_id()
     and private.role_rank(new.role) > private.role_rank(old.role) then
    raise exception 'nobody may raise their own role' using errcode = 'AO403';
  end if;
  if tg_op in ('UPDATE', 'DELETE') and private.role_rank(old.role) > private.role_rank(actor_role) then
    raise exception 'a member whose role is above yours is not yours to change' using errcode = 'AO403';
  end if;
  if tg_op in ('INSERT', 'UPDATE') and private.role_rank(new.role) > private.role_rank(actor_role)
     and (tg_op = 'INSERT' or new.role <> old.role) then
    raise exception 'nobody may give a role above their own' using errcode = 'AO403';
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

-- Whose overrides the caller may change: never their own, only with permissions.manage, only a
-- member of the current tenant whose role is not above the caller's.
create or replace function private.may_change_permissions_of(p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_user is distinct from private.current_user_id()
    and private.has_permission('permissions.manage')
    and exists (select 1 from public.memberships m
                where m.tenant_id = private.current_tenant() and m.user_id = p_user
                  and private.role_rank(m.role) <= private.role_rank(private.current_member_role()))
$$;

-- Granting a permission, or lifting a revocation (which gives the role's default back), needs
-- the permission yourself. Called per row: writes touch one row at a time.
drop policy user_permissions_insert_manager on public.user_permissions;
drop policy user_permissions_update_manager on public.user_permissions;
drop policy user_permissions_delete_manager on public.user_permissions;
create policy user_permissions_insert_manager on public.user_permissions for insert to authenticated
  with check (tenant_id = (select private.current_tenant())
    and private.may_change_permissions_of(user_id) and private.permission_fits_member(user_id, permission)
    and (not granted or private.has_permission(permission)));
create policy user_permissions_update_manager on public.user_permissions for update to authenticated
  using (tenant_id = (select private.current_tenant()) and private.may_change_permissions_of(user_id)
    and (granted or private.has_permission(permission)))
  with check (tenant_id = (select private.current_tenant())
    and private.may_change_permissions_of(user_id) and private.permission_fits_member(user_id, permission)
    and (not granted or private.has_permission(permission)));
create policy user_permissions_delete_manager on public.user_permissions for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and private.may_change_permissions_of(user_id)
    and (granted or private.has_permission(permission)));
