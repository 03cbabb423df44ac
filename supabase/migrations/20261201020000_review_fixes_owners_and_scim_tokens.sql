-- Fixes from the 2026-12-01 review of SCIM and memberships:
-- * An admin's SCIM token could adopt an existing owner's membership (POST /Users with the
--   owner's email) and deactivate, rename or deprovision them. Owners are now out of an IdP's
--   reach: any SCIM change to an owner's membership (active, email, name, deprovisioning) is
--   refused (403); listing one, or group changes that leave it as it is, still work.
-- * A SCIM token outlived the authority of whoever made it: an admin offboarded or demoted could
--   provision themselves back as admin with it. A token now works only while its creator is an
--   active owner or admin of the business (as an invitation does only while its sender may send it).
-- * Two owners demoting or deactivating each other at the same moment could leave a business with
--   no active owner: each transaction counted the other as remaining, and the second actor, whose
--   own deactivation had committed meanwhile, was read as "no role" and waved through like a
--   migration. A change to an owner's row now takes a per-business advisory lock before anything
--   is read, and an actor whose membership is inactive is refused.

create or replace function private.guard_membership_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  tenant uuid := coalesce(new.tenant_id, old.tenant_id);
  actor_role public.member_role;
  remaining int;
begin
  -- One owner change at a time per business, decided before anything is read: two owners
  -- demoting each other concurrently would each count the other as remaining (READ COMMITTED)
  -- and leave none.
  if tg_op in ('UPDATE', 'DELETE') and old.role = 'owner' then
    perform pg_advisory_xact_lock(pg_catalog.hashtextextended('ai-office:owners:' || tenant::text, 0));
  end if;
  -- The actor's role in the tenant of the row being changed (not in the token's tenant), read
  -- after the lock, so a deactivation that committed meanwhile is seen.
  select m.role into actor_role from public.memberships m
  where m.tenant_id = tenant and m.user_id = private.current_user_id() and m.active;
  if actor_role is null then
    -- A member deactivated while their request ran is refused, not waved through as if they
    -- were a migration; migrations, seeds, sign-up, invitations and SCIM (no membership of the
    -- actor here) have no role, and policies bound them.
    if exists (select 1 from public.memberships m where m.tenant_id = tenant and m.user_id = private.current_user_id()) then
      raise exception 'membership_inactive' using errcode = 'AO403';
    end if;
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

create or replace function private.scim_tenant() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  presented text := private.claims() ->> 'scim_token_sha256';
begin
  if presented is null or presented !~ '^[0-9a-f]{64}$' then
    return null;
  end if;
  return (select t.tenant_id from public.scim_tokens t join public.tenants tn on tn.id = t.tenant_id
          where t.token_hash = decode(presented, 'hex') and t.revoked_at is null and t.expires_at > now()
            and tn.status = 'active' and exists (
              select 1 from public.memberships m
              where m.tenant_id = t.tenant_id and m.user_id = t.created_by and m.active and m.role in ('owner', 'admin')));
end $$;

create or replace function private.scim_enter(p_method text, p_path text)
returns table (tenant_id uuid, token_id uuid, token_name text)
language plpgsql volatile security definer set search_path = '' as $$
declare
  presented text := private.claims() ->> 'scim_token_sha256';
  tok public.scim_tokens;
begin
  if presented is not null and presented ~ '^[0-9a-f]{64}$' then
    select t.* into tok from public.scim_tokens t join public.tenants tn on tn.id = t.tenant_id
    where t.token_hash = decode(presented, 'hex') and t.revoked_at is null and t.expires_at > now()
      and tn.status = 'active' and exists (
        select 1 from public.memberships m
        where m.tenant_id = t.tenant_id and m.user_id = t.created_by and m.active and m.role in ('owner', 'admin'));
  end if;
  if tok.id is null then
    raise exception 'unauthorized' using errcode = 'AO401';
  end if;
  update public.scim_tokens t set last_used_at = now()
  where t.tenant_id = tok.tenant_id and t.id = tok.id
    and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');
  insert into public.audit_log (tenant_id, actor_id, action, resource_type, resource_id, after, request_id)
  values (tok.tenant_id, null, 'scim.request', 'scim_tokens', tok.id::text,
          jsonb_build_object('token', tok.name, 'method', left(p_method, 10), 'path', left(p_path, 300)),
          nullif(current_setting('request.id', true), ''));
  return query select tok.tenant_id, tok.id, tok.name;
end $$;

create or replace function private.scim_sync_member(p_tenant uuid, p_scim_user uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  u public.scim_users;
  best_role public.member_role;
  dept_name text;
  dept uuid;
  cur public.memberships;
begin
  select * into u from public.scim_users su where su.tenant_id = p_tenant and su.id = p_scim_user;
  if not found then
    return;
  end if;
  select gm.role into best_role
  from public.scim_group_members x
  join public.scim_groups g on g.tenant_id = x.tenant_id and g.id = x.group_id
  join public.scim_group_mappings gm on gm.tenant_id = g.tenant_id and lower(gm.group_name) = lower(g.display_name)
  where x.tenant_id = p_tenant and x.scim_user_id = p_scim_user
  order by private.role_rank(gm.role) desc limit 1;
  select gm.department into dept_name
  from public.scim_group_members x
  join public.scim_groups g on g.tenant_id = x.tenant_id and g.id = x.group_id
  join public.scim_group_mappings gm on gm.tenant_id = g.tenant_id and lower(gm.group_name) = lower(g.display_name)
  where x.tenant_id = p_tenant and x.scim_user_id = p_scim_user and gm.department is not null
  order by private.role_rank(gm.role) desc, lower(gm.group_name) limit 1;
  dept_name := nullif(btrim(coalesce(dept_name, u.department)), '');
  if dept_name is not null then
    select d.id into dept from public.departments d
    where d.tenant_id = p_tenant and lower(d.name) = lower(dept_name) order by d.name limit 1;
    if dept is null then
      insert into public.departments (tenant_id, name) values (p_tenant, dept_name)
      on conflict (tenant_id, name) do nothing returning id into dept;
      if dept is null then
        select d.id into dept from public.departments d where d.tenant_id = p_tenant and d.name = dept_name;
      end if;
    end if;
  end if;

  select * into cur from public.memberships m where m.tenant_id = p_tenant and m.user_id = u.user_id for update;
  -- Owners are the business's own: an IdP (whose token an admin made) may list one, but never
  -- renames, re-addresses, deactivates or deprovisions one (group changes leave owners as they are).
  if found and cur.role = 'owner' then
    if u.active is distinct from cur.active
       or (u.email is not null and u.email is distinct from cur.email)
       or (u.display_name is not null and u.display_name is distinct from cur.display_name) then
      raise exception 'forbidden' using errcode = 'AO403';
    end if;
    return;
  end if;
  if not found then
    insert into public.memberships (tenant_id, user_id, role, email, display_name, department_id, active)
    values (p_tenant, u.user_id, coalesce(best_role, 'employee'), u.email, u.display_name, dept, u.active);
    -- The business becomes the person's active one unless they already have one.
    insert into public.user_settings (user_id, active_tenant_id) values (u.user_id, p_tenant)
    on conflict (user_id) do update set active_tenant_id = p_tenant
      where public.user_settings.active_tenant_id is null;
    return;
  end if;
  if cur.role = 'owner' and cur.active and not u.active and not exists (
    select 1 from public.memberships m
    where m.tenant_id = p_tenant and m.role = 'owner' and m.active and m.user_id <> u.user_id
  ) then
    raise exception 'last_owner' using errcode = 'AO409';
  end if;
  update public.memberships m set
    role = case when cur.role in ('owner', 'customer') then cur.role else coalesce(best_role, 'employee') end,
    department_id = case when cur.role in ('owner', 'customer') then cur.department_id else dept end,
    active = u.active,
    email = coalesce(u.email, m.email),
    display_name = coalesce(u.display_name, m.display_name)
  where m.tenant_id = p_tenant and m.user_id = u.user_id
    and (m.role, m.department_id, m.active, m.email, m.display_name) is distinct from
        (case when cur.role in ('owner', 'customer') then cur.role else coalesce(best_role, 'employee') end,
         case when cur.role in ('owner', 'customer') then cur.department_id else dept end,
         u.active, coalesce(u.email, m.email), coalesce(u.display_name, m.display_name));
end $$;

create or replace function private.scim_users_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    if exists (select 1 from public.memberships m where m.tenant_id = old.tenant_id and m.user_id = old.user_id and m.role = 'owner')
       and exists (select 1 from public.tenants t where t.id = old.tenant_id) then
      raise exception 'forbidden' using errcode = 'AO403';
    end if;
    -- Deprovisioned: the membership ends now; the person's business data stays. A business
    -- keeps an active owner (unless the whole business is being deleted).
    if exists (select 1 from public.tenants t where t.id = old.tenant_id)
       and exists (select 1 from public.memberships m where m.tenant_id = old.tenant_id and m.user_id = old.user_id and m.role = 'owner' and m.active)
       and not exists (select 1 from public.memberships m where m.tenant_id = old.tenant_id and m.role = 'owner' and m.active and m.user_id <> old.user_id) then
      raise exception 'last_owner' using errcode = 'AO409';
    end if;
    update public.memberships m set active = false
    where m.tenant_id = old.tenant_id and m.user_id = old.user_id and m.active;
    return null;
  end if;
  perform private.scim_sync_member(new.tenant_id, new.id);
  return null;
end $$;
