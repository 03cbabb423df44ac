-- SCIM 2.0 provisioning: identity providers (Okta, Microsoft Entra ID) are the source of truth for
-- who works at a business. They call /scim/v2 with a per-tenant bearer token; the Worker never
-- resolves the tenant itself: it puts the token's SHA-256 into the request claims and runs as
-- `office_scim`, whose policies derive the tenant inside Postgres from that hash (an unexpired,
-- unrevoked token of an active tenant). So RLS stays complete underneath the SCIM handlers, as
-- it does under every /v1 handler.
--
-- Tables:
--   scim_tokens          bearer tokens (SHA-256 only), named, expiring, rotatable with overlap
--   scim_users           the IdP's Users, each linked to a membership of this tenant
--   scim_groups          the IdP's Groups
--   scim_group_members   who is in which group
--   scim_group_mappings  group name -> role (and department): editable by owners/admins
-- A user's role and department are recomputed from their groups by triggers (highest role wins;
-- a department from a mapped group, else the user's enterprise `department` attribute), in the
-- same transaction as the SCIM write, so the very next request sees them (RLS reads memberships).

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'office_scim') then
    create role office_scim nologin noinherit nobypassrls;
  end if;
end $$;
grant office_scim to office_api;
grant usage on schema private to office_scim;

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------
create table public.scim_tokens (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 100),
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '365 days',
  last_used_at timestamptz,
  -- Rotation: the new token names the one it replaced; the old one's expires_at becomes the end
  -- of the overlap.
  rotated_from uuid,
  rotated_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  primary key (tenant_id, id),
  foreign key (tenant_id, rotated_from) references public.scim_tokens (tenant_id, id) on delete set null (rotated_from),
  check (expires_at > created_at)
);
comment on table public.scim_tokens is 'SCIM bearer tokens of a business. token_hash is SHA-256 of the token, shown once at creation; the token itself is never stored.';
create index scim_tokens_tenant_created_idx on public.scim_tokens (tenant_id, created_at, id);

create table public.scim_users (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  user_name text not null check (char_length(user_name) between 1 and 320),
  external_id text check (char_length(external_id) between 1 and 255),
  active boolean not null default true,
  display_name text check (char_length(display_name) <= 200),
  -- The work (else primary, else first) email, lower case: what the membership shows.
  email text check (char_length(email) <= 320),
  -- The enterprise extension's department: where a Managers-style mapping takes it from.
  department text check (char_length(department) <= 100),
  -- Every other attribute as the IdP sent it (name, emails, phoneNumbers, title, enterprise, …).
  attributes jsonb not null default '{}' check (jsonb_typeof(attributes) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, user_id),
  -- The membership is written by the trigger below, after the row: checked at commit.
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade
    deferrable initially deferred
);
comment on table public.scim_users is 'SCIM Users of a business (RFC 7643), each linked to one membership. userName is unique per business, case-insensitively.';
-- userName is caseExact: false (RFC 7643): unique and filtered case-insensitively.
create unique index scim_users_tenant_user_name_key on public.scim_users (tenant_id, lower(user_name));
create unique index scim_users_tenant_external_id_key on public.scim_users (tenant_id, external_id) where external_id is not null;
create index scim_users_tenant_email_idx on public.scim_users (tenant_id, email);
create index scim_users_tenant_updated_idx on public.scim_users (tenant_id, updated_at, id);
create index scim_users_tenant_created_idx on public.scim_users (tenant_id, created_at, id);

create table public.scim_groups (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  display_name text not null check (char_length(btrim(display_name)) between 1 and 200),
  external_id text check (char_length(external_id) between 1 and 255),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index scim_groups_tenant_display_name_key on public.scim_groups (tenant_id, lower(display_name));
create index scim_groups_tenant_created_idx on public.scim_groups (tenant_id, created_at, id);

create table public.scim_group_members (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  group_id uuid not null,
  scim_user_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, group_id, scim_user_id),
  foreign key (tenant_id, group_id) references public.scim_groups (tenant_id, id) on delete cascade,
  foreign key (tenant_id, scim_user_id) references public.scim_users (tenant_id, id) on delete cascade
);
create index scim_group_members_tenant_user_idx on public.scim_group_members (tenant_id, scim_user_id);

create table public.scim_group_mappings (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  group_name text not null check (char_length(btrim(group_name)) between 1 and 200),
  -- IdP groups never make an owner: ownership is handed over inside the business.
  role public.member_role not null check (role in ('admin', 'manager', 'employee')),
  -- A department by name (created on first use, matched case-insensitively), or null: then the
  -- member's department comes from another mapped group or their enterprise `department`.
  department text check (char_length(btrim(department)) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index scim_group_mappings_tenant_group_name_key on public.scim_group_mappings (tenant_id, lower(group_name));

create trigger scim_users_touch before update on public.scim_users for each row execute function private.touch_updated_at();
create trigger scim_groups_touch before update on public.scim_groups for each row execute function private.touch_updated_at();
create trigger scim_group_mappings_touch before update on public.scim_group_mappings for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- The tenant of a SCIM request, from its token only
-- ---------------------------------------------------------------------------------------------

-- The tenant of the presented SCIM token (its SHA-256, hex, in the claims), while the token is
-- unrevoked and unexpired and the tenant active; otherwise null, and every policy sees nothing.
create function private.scim_tenant() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  presented text := private.claims() ->> 'scim_token_sha256';
begin
  if presented is null or presented !~ '^[0-9a-f]{64}$' then
    return null;
  end if;
  return (select t.tenant_id from public.scim_tokens t join public.tenants tn on tn.id = t.tenant_id
          where t.token_hash = decode(presented, 'hex') and t.revoked_at is null and t.expires_at > now()
            and tn.status = 'active');
end $$;

-- First statement of every SCIM request (pipelined with it): refuses an unknown, expired or
-- revoked token (401), records when the token was last used (at most once a minute), and writes
-- the request's audit row naming the token by its name, never its value.
create function private.scim_enter(p_method text, p_path text)
returns table (tenant_id uuid, token_id uuid, token_name text)
language plpgsql volatile security definer set search_path = '' as $$
declare
  presented text := private.claims() ->> 'scim_token_sha256';
  tok public.scim_tokens;
begin
  if presented is not null and presented ~ '^[0-9a-f]{64}$' then
    select t.* into tok from public.scim_tokens t join public.tenants tn on tn.id = t.tenant_id
    where t.token_hash = decode(presented, 'hex') and t.revoked_at is null and t.expires_at > now()
      and tn.status = 'active';
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

-- Whose memberships a sync may write: the SCIM token's tenant, or (a mapping edited through the
-- control plane) the owner/admin's current tenant.
create function private.scim_sync_tenant() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(private.scim_tenant(), case when private.is_staff_admin() then private.current_tenant() end);
end $$;

-- ---------------------------------------------------------------------------------------------
-- Role and department from groups
-- ---------------------------------------------------------------------------------------------

-- Recomputes one SCIM user's membership: active from the user; role from the highest-ranked
-- mapped group (employee when none); department from the highest-ranked mapped group that names
-- one, else the user's enterprise department, else none. Owners and customers keep their role
-- and department (an IdP neither makes nor unmakes an owner); a business keeps an active owner.
create function private.scim_sync_member(p_tenant uuid, p_scim_user uuid) returns void
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

create function private.scim_users_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
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

create function private.scim_group_members_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.scim_sync_member(coalesce(new.tenant_id, old.tenant_id), coalesce(new.scim_user_id, old.scim_user_id));
  return null;
end $$;

-- A renamed group may now match another mapping (or none).
create function private.scim_groups_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  member uuid;
begin
  for member in select x.scim_user_id from public.scim_group_members x where x.tenant_id = new.tenant_id and x.group_id = new.id loop
    perform private.scim_sync_member(new.tenant_id, member);
  end loop;
  return null;
end $$;

-- A mapping set or deleted through the control plane applies to every member of its groups now.
create function private.scim_group_mappings_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  tenant uuid := coalesce(new.tenant_id, old.tenant_id);
  member uuid;
begin
  for member in
    select distinct x.scim_user_id from public.scim_group_members x
    join public.scim_groups g on g.tenant_id = x.tenant_id and g.id = x.group_id
    where x.tenant_id = tenant
      and lower(g.display_name) in (lower(coalesce(new.group_name, old.group_name)), lower(coalesce(old.group_name, new.group_name)))
  loop
    perform private.scim_sync_member(tenant, member);
  end loop;
  return null;
end $$;

create trigger scim_users_sync after insert or update or delete on public.scim_users
  for each row execute function private.scim_users_sync();
create trigger scim_group_members_sync after insert or delete on public.scim_group_members
  for each row execute function private.scim_group_members_sync();
create trigger scim_groups_sync after update of display_name on public.scim_groups
  for each row execute function private.scim_groups_sync();
create trigger scim_group_mappings_sync after insert or update or delete on public.scim_group_mappings
  for each row execute function private.scim_group_mappings_sync();

-- Every business starts with the default mappings (editable by its owners/admins).
create function private.scim_default_mappings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.scim_group_mappings (tenant_id, group_name, role, department)
  values (new.id, 'Admins', 'admin', null), (new.id, 'Managers', 'manager', null),
         (new.id, 'Employees', 'employee', null), (new.id, 'Sales-Team', 'employee', 'Sales'),
         (new.id, 'Support-Team', 'employee', 'Support');
  return null;
end $$;
create trigger tenants_scim_default_mappings after insert on public.tenants
  for each row execute function private.scim_default_mappings();
insert into public.scim_group_mappings (tenant_id, group_name, role, department)
select t.id, d.group_name, d.role::public.member_role, d.department
from public.tenants t,
  (values ('Admins', 'admin', null), ('Managers', 'manager', null), ('Employees', 'employee', null),
          ('Sales-Team', 'employee', 'Sales'), ('Support-Team', 'employee', 'Support')) as d (group_name, role, department);

create trigger scim_tokens_audit after insert or update on public.scim_tokens
  for each row execute function private.audit_row('tenant_id', 'id', 'token_hash');
create trigger scim_users_audit after insert or update or delete on public.scim_users
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger scim_groups_audit after insert or update or delete on public.scim_groups
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger scim_group_members_audit after insert or delete on public.scim_group_members
  for each row execute function private.audit_row('tenant_id', 'group_id');
create trigger scim_group_mappings_audit after insert or update or delete on public.scim_group_mappings
  for each row execute function private.audit_row('tenant_id', 'id');

alter function private.scim_tenant() owner to app_private;
alter function private.scim_enter(text, text) owner to app_private;
alter function private.scim_sync_tenant() owner to app_private;
alter function private.scim_sync_member(uuid, uuid) owner to app_private;
alter function private.scim_users_sync() owner to app_private;
alter function private.scim_group_members_sync() owner to app_private;
alter function private.scim_groups_sync() owner to app_private;
alter function private.scim_group_mappings_sync() owner to app_private;
alter function private.scim_default_mappings() owner to app_private;
revoke all on function private.scim_tenant(), private.scim_enter(text, text), private.scim_sync_tenant(),
  private.scim_sync_member(uuid, uuid), private.scim_users_sync(), private.scim_group_members_sync(),
  private.scim_groups_sync(), private.scim_group_mappings_sync(), private.scim_default_mappings() from public;
grant execute on function private.scim_tenant(), private.scim_enter(text, text) to office_scim;
grant execute on function private.scim_tenant(), private.scim_sync_tenant(), private.scim_sync_member(uuid, uuid) to app_private;

-- ---------------------------------------------------------------------------------------------
-- Privileges and policies
-- ---------------------------------------------------------------------------------------------
alter table public.scim_tokens enable row level security;
alter table public.scim_tokens force row level security;
alter table public.scim_users enable row level security;
alter table public.scim_users force row level security;
alter table public.scim_groups enable row level security;
alter table public.scim_groups force row level security;
alter table public.scim_group_members enable row level security;
alter table public.scim_group_members force row level security;
alter table public.scim_group_mappings enable row level security;
alter table public.scim_group_mappings force row level security;

revoke all on public.scim_tokens, public.scim_users, public.scim_groups, public.scim_group_members, public.scim_group_mappings
  from anon, authenticated, office_scim;

-- Owners/admins manage tokens through the control plane: they never read a hash back.
grant select (tenant_id, id, name, created_by, created_at, expires_at, last_used_at, rotated_from, rotated_at, revoked_at, revoked_by)
  on public.scim_tokens to authenticated;
grant insert (tenant_id, id, name, token_hash, created_by, expires_at, rotated_from) on public.scim_tokens to authenticated;
grant update (expires_at, rotated_at, revoked_at, revoked_by) on public.scim_tokens to authenticated;
grant select, update (last_used_at) on public.scim_tokens to app_private;

create policy scim_tokens_select_owner_admin on public.scim_tokens for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_tokens_insert_owner_admin on public.scim_tokens for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin())
    and created_by = (select private.current_user_id()));
create policy scim_tokens_update_owner_admin on public.scim_tokens for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()))
  with check (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_tokens_delete_never on public.scim_tokens for delete to authenticated using (false);
create policy scim_tokens_select_app_private on public.scim_tokens for select to app_private using (true);
create policy scim_tokens_update_app_private on public.scim_tokens for update to app_private using (true) with check (true);

-- A token once revoked stays revoked, and an expiry only ever comes closer.
create function private.guard_scim_token_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'conflict' using errcode = 'AO409';
  end if;
  if new.expires_at > old.expires_at then
    raise exception 'bad_request' using errcode = 'AO400';
  end if;
  return new;
end $$;
revoke all on function private.guard_scim_token_change() from public;
create trigger scim_tokens_guard before update on public.scim_tokens
  for each row execute function private.guard_scim_token_change();

-- Mappings: owners/admins read and write them.
grant select, delete on public.scim_group_mappings to authenticated;
grant insert (tenant_id, group_name, role, department) on public.scim_group_mappings to authenticated;
grant update (group_name, role, department) on public.scim_group_mappings to authenticated;
grant select, insert (tenant_id, group_name, role, department) on public.scim_group_mappings to app_private;
create policy scim_group_mappings_select_owner_admin on public.scim_group_mappings for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_group_mappings_insert_owner_admin on public.scim_group_mappings for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_group_mappings_update_owner_admin on public.scim_group_mappings for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()))
  with check (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_group_mappings_delete_owner_admin on public.scim_group_mappings for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_group_mappings_select_app_private on public.scim_group_mappings for select to app_private using (true);
-- New businesses get their defaults (the tenant row is the caller's, being signed up).
create policy scim_group_mappings_insert_app_private on public.scim_group_mappings for insert to app_private with check (true);

-- The directory itself: written only over SCIM (office_scim, within its token's tenant);
-- owners/admins may read it.
grant select on public.scim_users, public.scim_groups, public.scim_group_members to authenticated;
grant select, insert, delete on public.scim_users, public.scim_groups, public.scim_group_members to office_scim;
grant update (user_name, external_id, active, display_name, email, department, attributes) on public.scim_users to office_scim;
grant update (display_name, external_id) on public.scim_groups to office_scim;
grant select on public.scim_users, public.scim_groups, public.scim_group_members to app_private;

create policy scim_users_select_owner_admin on public.scim_users for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_users_insert_never on public.scim_users for insert to authenticated with check (false);
create policy scim_users_update_never on public.scim_users for update to authenticated using (false);
create policy scim_users_delete_never on public.scim_users for delete to authenticated using (false);
create policy scim_users_select_scim on public.scim_users for select to office_scim
  using (tenant_id = (select private.scim_tenant()));
create policy scim_users_insert_scim on public.scim_users for insert to office_scim
  with check (tenant_id = (select private.scim_tenant()));
create policy scim_users_update_scim on public.scim_users for update to office_scim
  using (tenant_id = (select private.scim_tenant())) with check (tenant_id = (select private.scim_tenant()));
create policy scim_users_delete_scim on public.scim_users for delete to office_scim
  using (tenant_id = (select private.scim_tenant()));
create policy scim_users_select_app_private on public.scim_users for select to app_private using (true);

create policy scim_groups_select_owner_admin on public.scim_groups for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_groups_insert_never on public.scim_groups for insert to authenticated with check (false);
create policy scim_groups_update_never on public.scim_groups for update to authenticated using (false);
create policy scim_groups_delete_never on public.scim_groups for delete to authenticated using (false);
create policy scim_groups_select_scim on public.scim_groups for select to office_scim
  using (tenant_id = (select private.scim_tenant()));
create policy scim_groups_insert_scim on public.scim_groups for insert to office_scim
  with check (tenant_id = (select private.scim_tenant()));
create policy scim_groups_update_scim on public.scim_groups for update to office_scim
  using (tenant_id = (select private.scim_tenant())) with check (tenant_id = (select private.scim_tenant()));
create policy scim_groups_delete_scim on public.scim_groups for delete to office_scim
  using (tenant_id = (select private.scim_tenant()));
create policy scim_groups_select_app_private on public.scim_groups for select to app_private using (true);

create policy scim_group_members_select_owner_admin on public.scim_group_members for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.is_staff_admin()));
create policy scim_group_members_insert_never on public.scim_group_members for insert to authenticated with check (false);
create policy scim_group_members_update_never on public.scim_group_members for update to authenticated using (false);
create policy scim_group_members_delete_never on public.scim_group_members for delete to authenticated using (false);
create policy scim_group_members_select_scim on public.scim_group_members for select to office_scim
  using (tenant_id = (select private.scim_tenant()));
create policy scim_group_members_insert_scim on public.scim_group_members for insert to office_scim
  with check (tenant_id = (select private.scim_tenant()));
create policy scim_group_members_delete_scim on public.scim_group_members for delete to office_scim
  using (tenant_id = (select private.scim_tenant()));
create policy scim_group_members_select_app_private on public.scim_group_members for select to app_private using (true);

-- What the sync writes as app_private, only in the SCIM token's (or the admin's) tenant.
grant insert (display_name) on public.memberships to app_private;
grant update (role, department_id, active, email, display_name) on public.memberships to app_private;
create policy memberships_insert_scim_sync on public.memberships for insert to app_private
  with check (tenant_id = private.scim_sync_tenant());
create policy memberships_update_scim_sync on public.memberships for update to app_private
  using (tenant_id = private.scim_sync_tenant()) with check (tenant_id = private.scim_sync_tenant());
grant insert (tenant_id, name) on public.departments to app_private;
create policy departments_insert_scim_sync on public.departments for insert to app_private
  with check (tenant_id = private.scim_sync_tenant());
create policy user_settings_insert_scim_sync on public.user_settings for insert to app_private
  with check (active_tenant_id = private.scim_tenant());
create policy user_settings_update_scim_sync on public.user_settings for update to app_private
  using (active_tenant_id is null) with check (active_tenant_id = private.scim_tenant());
