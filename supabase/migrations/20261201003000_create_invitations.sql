-- Invitations: how a business gets its staff. A member with members.manage invites an email with
-- a role (never above their own), a department and, for a customer user, the customer record.
-- The invited person accepts with the secret from the email: only its SHA-256 is stored, it is
-- single use, it expires, and it is bound to the email (the accepting token's verified email
-- must match). Accepting creates the membership and the person's settings in one transaction;
-- the audit triggers log the invitation's and the membership's rows in the same transaction.

create table public.invitations (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null check (char_length(email) between 3 and 320 and email = lower(email) and email like '_%@_%'),
  role public.member_role not null,
  department_id uuid,
  customer_id uuid,
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  -- When the email went out (the invitation-email job); null while queued.
  emailed_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, department_id) references public.departments (tenant_id, id) on delete set null (department_id),
  foreign key (tenant_id, customer_id) references public.customers (tenant_id, id) on delete cascade,
  check (customer_id is null or role = 'customer'),
  check (expires_at > created_at),
  check (accepted_at is null or revoked_at is null)
);
comment on table public.invitations is 'Pending, accepted, revoked and expired invitations of a business. token_hash is SHA-256 of the emailed secret; the secret itself is never stored.';
-- One open invitation per email and business: inviting again replaces it (a resend). (Named
-- like a key on (tenant_id, email) so a conflict names the field `email`.)
create unique index invitations_tenant_id_email_key on public.invitations (tenant_id, email)
  where accepted_at is null and revoked_at is null;
create index invitations_tenant_created_idx on public.invitations (tenant_id, created_at, id);

-- Columns a member with members.manage writes; acceptance goes through accept_invitation().
revoke all on public.invitations from anon, authenticated;
grant select (tenant_id, id, email, role, department_id, customer_id, invited_by, created_at, expires_at,
  accepted_at, accepted_by, revoked_at, revoked_by, emailed_at) on public.invitations to authenticated;
grant insert (tenant_id, id, email, role, department_id, customer_id, token_hash, invited_by)
  on public.invitations to authenticated;
grant update (revoked_at, revoked_by) on public.invitations to authenticated;
grant select, update (accepted_at, accepted_by, emailed_at) on public.invitations to app_private;

alter table public.invitations enable row level security;
alter table public.invitations force row level security;

-- Whether the caller may hand out `r`: members.manage in the current tenant, and a role not
-- above their own (the same rule the membership trigger holds for direct changes).
create function private.may_invite_as(p_role public.member_role) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return private.has_permission('members.manage')
     and private.role_rank(p_role) <= private.role_rank(private.current_member_role());
end $$;
alter function private.may_invite_as(public.member_role) owner to app_private;
revoke all on function private.may_invite_as(public.member_role) from public;
grant execute on function private.may_invite_as(public.member_role) to authenticated;

create policy invitations_select_members_manage on public.invitations for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('members.manage')));
create policy invitations_insert_members_manage on public.invitations for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and invited_by = (select private.current_user_id())
    and private.may_invite_as(role));
-- Revoking (or replacing) an invitation is for whoever could have sent it: a manager with
-- members.manage cannot withdraw the owner's invitation of an admin.
create policy invitations_update_members_manage on public.invitations for update to authenticated
  using (tenant_id = (select private.current_tenant()) and private.may_invite_as(role))
  with check (tenant_id = (select private.current_tenant()) and private.may_invite_as(role)
    and revoked_by = (select private.current_user_id()));
create policy invitations_delete_never on public.invitations for delete to authenticated
  using (false);
create policy invitations_select_app_private on public.invitations for select to app_private
  using (true);
create policy invitations_update_app_private on public.invitations for update to app_private
  using (true) with check (true);

-- A revoked invitation stays revoked, an accepted one stays accepted; only those two columns
-- ever change (the column grants), and each only from null.
create function private.guard_invitation_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at)
     or (old.accepted_at is not null and new.accepted_at is distinct from old.accepted_at)
     or (old.revoked_at is not null and new.accepted_at is distinct from old.accepted_at)
     or (old.accepted_at is not null and new.revoked_at is distinct from old.revoked_at) then
    raise exception 'invitation_closed' using errcode = 'AO409';
  end if;
  return new;
end $$;
revoke all on function private.guard_invitation_change() from public;
create trigger invitations_guard before update on public.invitations
  for each row execute function private.guard_invitation_change();
create trigger invitations_audit after insert or update on public.invitations
  for each row execute function private.audit_row('tenant_id', 'id', 'token_hash');

-- The invited person joins, with only the secret. Runs as app_private: the caller is not a
-- member yet, so no tenant policy admits them; this function is the whole rule.
--   * unknown secret: not_found (an invitation of another business is no different);
--   * revoked, expired, or accepted by someone else: refused with the reason; so is one whose
--     sender may no longer invite with that role (left, deactivated, demoted, lost members.manage);
--   * the token's email (verified by Supabase Auth when the person followed the link) must be
--     the invited email;
--   * accepted again by the same person: nothing changes, the same answer (idempotent);
--   * already a member of that business by another way: refused.
create function private.accept_invitation(p_token_hash bytea)
returns table (tenant_id uuid, role public.member_role, department_id uuid, invitation_id uuid, already_accepted boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  me uuid := private.current_user_id();
  my_email text := lower(nullif(private.claims() ->> 'email', ''));
  inv public.invitations;
begin
  if me is null then
    raise exception 'unauthorized' using errcode = 'AO401';
  end if;
  select * into inv from public.invitations i where i.token_hash = p_token_hash for update;
  if not found then
    raise exception 'not_found' using errcode = 'AO404';
  end if;
  if inv.accepted_at is not null then
    if inv.accepted_by = me then
      return query select inv.tenant_id, inv.role, inv.department_id, inv.id, true;
      return;
    end if;
    raise exception 'invitation_used' using errcode = 'AO409';
  end if;
  if inv.revoked_at is not null then
    raise exception 'invitation_revoked' using errcode = 'AO410';
  end if;
  if inv.expires_at <= now() then
    raise exception 'invitation_expired' using errcode = 'AO410';
  end if;
  -- The sender's authority must still hold when it is used: an active member who may manage
  -- members and give this role. Otherwise someone being offboarded could invite an address of
  -- their own and come back through it after their removal.
  if not exists (
    select 1 from public.memberships m
    where m.tenant_id = inv.tenant_id and m.user_id = inv.invited_by and m.active
      and private.role_rank(m.role) >= private.role_rank(inv.role)
      and coalesce(
        (select up.granted from public.user_permissions up
         where up.tenant_id = m.tenant_id and up.user_id = m.user_id and up.permission = 'members.manage'),
        'members.manage' = any (private.role_permissions(m.role)))
  ) then
    raise exception 'invitation_revoked' using errcode = 'AO410';
  end if;
  if my_email is distinct from inv.email then
    raise exception 'invitation_wrong_email' using errcode = 'AO403';
  end if;
  if exists (select 1 from public.memberships m where m.tenant_id = inv.tenant_id and m.user_id = me) then
    raise exception 'already_member' using errcode = 'AO409';
  end if;
  if not exists (select 1 from public.tenants t where t.id = inv.tenant_id and t.status = 'active') then
    raise exception 'not_found' using errcode = 'AO404';
  end if;

  update public.invitations i set accepted_at = now(), accepted_by = me
  where i.tenant_id = inv.tenant_id and i.id = inv.id;
  insert into public.memberships (tenant_id, user_id, role, email, department_id, customer_id, active)
  values (inv.tenant_id, me, inv.role, inv.email, inv.department_id, inv.customer_id, true);
  -- The business just joined becomes the person's active one unless they already have one.
  insert into public.user_settings (user_id, active_tenant_id) values (me, inv.tenant_id)
  on conflict (user_id) do update set active_tenant_id = inv.tenant_id
    where public.user_settings.active_tenant_id is null;
  return query select inv.tenant_id, inv.role, inv.department_id, inv.id, false;
end $$;
alter function private.accept_invitation(bytea) owner to app_private;
revoke all on function private.accept_invitation(bytea) from public;
grant execute on function private.accept_invitation(bytea) to authenticated;

-- What accept_invitation() writes as app_private, and nothing more.
grant insert (tenant_id, user_id, role, email, department_id, customer_id, active) on public.memberships to app_private;
grant insert (user_id, active_tenant_id), update (active_tenant_id) on public.user_settings to app_private;
create policy memberships_insert_app_private on public.memberships for insert to app_private
  with check (user_id = private.current_user_id());
create policy user_settings_insert_app_private on public.user_settings for insert to app_private
  with check (user_id = private.current_user_id());
create policy user_settings_update_app_private on public.user_settings for update to app_private
  using (user_id = private.current_user_id()) with check (user_id = private.current_user_id());

-- The email goes out from a job, not from the request: the outbox row is written in the
-- invitation's own transaction (never lost), and only the job holds the Auth admin key. The
-- job derives the emailed secret again from the invitation's id (HMAC with a key only the
-- Worker has), so the secret is stored nowhere.
create function private.queue_invitation_email() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (new.tenant_id, 'invitation-email', format('invitation:%s', new.id),
          jsonb_build_object('tenantId', new.tenant_id, 'invitationId', new.id), now())
  on conflict (dedupe_id) do nothing;
  return null;
end $$;
alter function private.queue_invitation_email() owner to app_private;
revoke all on function private.queue_invitation_email() from public;
create trigger invitations_queue_email after insert on public.invitations
  for each row execute function private.queue_invitation_email();

-- What the job needs to write the email, while the invitation is still open and not yet
-- emailed (a redelivery after the email went out finds nothing: one email per invitation).
create function private.invitation_to_email(p_tenant uuid, p_invitation uuid)
returns table (email text, role public.member_role, tenant_name text, inviter_name text, expires_at timestamptz)
language plpgsql stable security definer set search_path = '' as $$
begin
  return query
    select i.email, i.role, t.name, coalesce(m.display_name, m.email), i.expires_at
    from public.invitations i
    join public.tenants t on t.id = i.tenant_id and t.status = 'active'
    left join public.memberships m on m.tenant_id = i.tenant_id and m.user_id = i.invited_by
    where i.tenant_id = p_tenant and i.id = p_invitation
      and i.accepted_at is null and i.revoked_at is null and i.emailed_at is null and i.expires_at > now();
end $$;

create function private.invitation_emailed(p_tenant uuid, p_invitation uuid) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.invitations i set emailed_at = now()
  where i.tenant_id = p_tenant and i.id = p_invitation and i.emailed_at is null;
  return found;
end $$;
alter function private.invitation_to_email(uuid, uuid) owner to app_private;
alter function private.invitation_emailed(uuid, uuid) owner to app_private;
revoke all on function private.invitation_to_email(uuid, uuid), private.invitation_emailed(uuid, uuid) from public;
grant execute on function private.invitation_to_email(uuid, uuid), private.invitation_emailed(uuid, uuid) to office_jobs;
