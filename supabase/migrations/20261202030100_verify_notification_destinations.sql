-- Verified destinations (hardening of issue 13): a member could name any email address or
-- Telegram chat, and the office then sent its messages there (a spam relay with the business's
-- name on it). Now a new or changed address is only *requested*: it is `pending` until the member
-- proves they read it, by sending back the code the office sent there once.
--
-- * notification_settings keeps what the member asked for (email, telegram_chat_id).
-- * notification_destinations holds one row per verification: the address, its status
--   (pending → verified, or superseded by a newer request), the code's hash (SHA-256 of
--   "{id}:{code}", written by the job that sends it), the expiry (30 minutes) and the attempts
--   (at most 5).
-- * notification_target() (where messages go) returns an address only when it is verified: the
--   member's account email (memberships.email, taken from their identity when they joined, or
--   from the IdP through SCIM) counts as verified; while a custom email is pending, emails keep
--   going to the account email; a pending Telegram chat gets nothing.
-- * The request is made by a trigger on notification_settings, so no path (the API or direct SQL
--   as `authenticated`) can name an address without the verification; at most 5 verification
--   requests per member per hour (AO429 rate_limited).

create table public.notification_destinations (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  channel text not null check (channel in ('email', 'telegram')),
  address text not null check (char_length(address) between 1 and 320),
  status text not null default 'pending' check (status in ('pending', 'verified', 'superseded')),
  -- hex SHA-256 of "{id}:{code}"; null until the code was sent. Never readable by members.
  code_hash text check (code_hash is null or code_hash ~ '^[0-9a-f]{64}$'),
  attempts int not null default 0 check (attempts between 0 and 5),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '30 minutes',
  verified_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade,
  check ((status = 'verified') = (verified_at is not null))
);
create index notification_destinations_tenant_user_idx on public.notification_destinations (tenant_id, user_id, channel, address, created_at);

alter table public.notification_destinations enable row level security;
alter table public.notification_destinations force row level security;
revoke all on public.notification_destinations from anon, authenticated;
-- Not code_hash: a member's session never reads a code's hash.
grant select (tenant_id, id, user_id, channel, address, status, attempts, created_at, expires_at, verified_at)
  on public.notification_destinations to authenticated;
grant select, insert, update on public.notification_destinations to app_private;
create policy notification_destinations_select_own on public.notification_destinations for select to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy notification_destinations_insert_never on public.notification_destinations for insert to authenticated with check (false);
create policy notification_destinations_update_never on public.notification_destinations for update to authenticated using (false);
create policy notification_destinations_delete_never on public.notification_destinations for delete to authenticated using (false);
create policy notification_destinations_select_app_private on public.notification_destinations for select to app_private using (true);
create policy notification_destinations_insert_app_private on public.notification_destinations for insert to app_private with check (true);
create policy notification_destinations_update_app_private on public.notification_destinations for update to app_private using (true) with check (true);
create trigger notification_destinations_audit after insert or update on public.notification_destinations
  for each row execute function private.audit_row('tenant_id', 'id', 'code_hash');

-- True when messages may go to `p_address` on `p_channel` for this member: a verified row, or,
-- for email, the member's account email in this business.
create function private.destination_verified(p_tenant uuid, p_user uuid, p_channel text, p_address text)
returns boolean language sql stable security definer set search_path = '' as $$
  select p_address is not null and (
    (p_channel = 'email' and exists (select 1 from public.memberships m
       where m.tenant_id = p_tenant and m.user_id = p_user and lower(m.email) = lower(p_address)))
    or exists (select 1 from public.notification_destinations d
               where d.tenant_id = p_tenant and d.user_id = p_user and d.channel = p_channel and d.address = p_address and d.status = 'verified'))
$$;
alter function private.destination_verified(uuid, uuid, text, text) owner to app_private;
revoke all on function private.destination_verified(uuid, uuid, text, text) from public;

-- Requests the verification of an address that is not verified yet: once per change, and again
-- on a later save only when its last code expired or ran out of attempts. Older pending requests
-- of the channel are superseded (their codes stop working).
create function private.request_destination_verification(p_tenant uuid, p_user uuid, p_channel text, p_address text)
returns void language plpgsql security definer set search_path = '' as $$
declare
  new_id uuid;
begin
  if p_address is null or private.destination_verified(p_tenant, p_user, p_channel, p_address) then
    update public.notification_destinations d set status = 'superseded'
    where d.tenant_id = p_tenant and d.user_id = p_user and d.channel = p_channel and d.status = 'pending';
    return;
  end if;
  if exists (select 1 from public.notification_destinations d
             where d.tenant_id = p_tenant and d.user_id = p_user and d.channel = p_channel and d.address = p_address
               and d.status = 'pending' and d.expires_at > now() and d.attempts < 5) then
    return;
  end if;
  if (select count(*) from public.notification_destinations d
      where d.tenant_id = p_tenant and d.user_id = p_user and d.created_at > now() - interval '1 hour') >= 5 then
    raise exception 'rate_limited' using errcode = 'AO429',
      detail = '{"fields": ["' || case p_channel when 'email' then 'email' else 'telegramChatId' end || '"]}';
  end if;
  update public.notification_destinations d set status = 'superseded'
  where d.tenant_id = p_tenant and d.user_id = p_user and d.channel = p_channel and d.status = 'pending';
  insert into public.notification_destinations (tenant_id, user_id, channel, address)
  values (p_tenant, p_user, p_channel, p_address)
  returning id into new_id;
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, 'destination-verification', format('verify:%s', new_id),
    jsonb_build_object('tenantId', p_tenant, 'verificationId', new_id), now())
  on conflict (dedupe_id) do nothing;
end $$;
alter function private.request_destination_verification(uuid, uuid, text, text) owner to app_private;
revoke all on function private.request_destination_verification(uuid, uuid, text, text) from public;

create function private.notification_settings_verify_destinations() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.email is distinct from old.email or new.email is not null then
    perform private.request_destination_verification(new.tenant_id, new.user_id, 'email', new.email);
  end if;
  if tg_op = 'INSERT' or new.telegram_chat_id is distinct from old.telegram_chat_id or new.telegram_chat_id is not null then
    perform private.request_destination_verification(new.tenant_id, new.user_id, 'telegram', new.telegram_chat_id);
  end if;
  return null;
end $$;
alter function private.notification_settings_verify_destinations() owner to app_private;
revoke all on function private.notification_settings_verify_destinations() from public;
create trigger notification_settings_verify_destinations after insert or update on public.notification_settings
  for each row execute function private.notification_settings_verify_destinations();

-- Where a member's messages go: verified addresses only (see the top of this file).
create or replace function private.notification_target(p_tenant uuid, p_user uuid, p_at timestamptz)
returns table (email text, telegram_chat_id text, quiet_until timestamptz)
language plpgsql stable security definer set search_path = '' as $$
declare
  tz text;
  local_at timestamp;
  qs time;
  qe time;
  t time;
begin
  select coalesce(s.timezone, 'UTC') into tz from public.user_settings s where s.user_id = p_user;
  tz := coalesce(tz, 'UTC');
  select ns.quiet_start, ns.quiet_end into qs, qe from public.notification_settings ns where ns.tenant_id = p_tenant and ns.user_id = p_user;
  local_at := p_at at time zone tz;
  t := local_at::time;
  return query
  select
    case when coalesce(ns.email_enabled, true) then
      case when ns.email is not null and private.destination_verified(m.tenant_id, m.user_id, 'email', ns.email) then ns.email else m.email end
    end,
    case when coalesce(ns.telegram_enabled, false) and private.destination_verified(m.tenant_id, m.user_id, 'telegram', ns.telegram_chat_id)
      then ns.telegram_chat_id end,
    case
      when qs is null or qs = qe then null
      when qs < qe and t >= qs and t < qe then (local_at::date + qe) at time zone tz
      when qs > qe and t >= qs then (local_at::date + 1 + qe) at time zone tz
      when qs > qe and t < qe then (local_at::date + qe) at time zone tz
    end
  from public.memberships m
  left join public.notification_settings ns on ns.tenant_id = m.tenant_id and ns.user_id = m.user_id
  where m.tenant_id = p_tenant and m.user_id = p_user and m.active and m.role <> 'customer';
end $$;

-- The job's side: the pending request to send a code for (nothing when superseded, verified or
-- expired), and recording the code's hash before the code leaves.
create function private.destination_to_verify(p_tenant uuid, p_id uuid)
returns table (user_id uuid, channel text, address text, expires_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select d.user_id, d.channel, d.address, d.expires_at from public.notification_destinations d
  join public.memberships m on m.tenant_id = d.tenant_id and m.user_id = d.user_id and m.active
  where d.tenant_id = p_tenant and d.id = p_id and d.status = 'pending' and d.expires_at > now()
$$;
create function private.destination_code_hash(p_tenant uuid, p_id uuid, p_hash text)
returns boolean language plpgsql security definer set search_path = '' as $$
begin
  update public.notification_destinations d set code_hash = p_hash
  where d.tenant_id = p_tenant and d.id = p_id and d.status = 'pending' and d.code_hash is distinct from p_hash;
  return found;
end $$;
alter function private.destination_to_verify(uuid, uuid) owner to app_private;
alter function private.destination_code_hash(uuid, uuid, text) owner to app_private;
revoke all on function private.destination_to_verify(uuid, uuid), private.destination_code_hash(uuid, uuid, text) from public;
grant execute on function private.destination_to_verify(uuid, uuid), private.destination_code_hash(uuid, uuid, text) to office_jobs;

-- The member's side (POST /v1/me/notifications/verify): one attempt on the caller's own newest
-- pending request of the channel. The code is hashed as the job hashed it and the digests are
-- compared in constant time (every byte, no early exit). The attempt counts whatever the answer
-- (the function returns rather than raises, so the count commits), and after 5 wrong codes the
-- request is locked: a burst of guesses cannot outrun the limit. outcome: verified | wrong |
-- expired | locked | not_sent; no row: nothing pending.
create function private.verify_destination(p_channel text, p_code text)
returns table (outcome text, attempts_left int)
language plpgsql security definer set search_path = '' as $$
declare
  d public.notification_destinations;
  given bytea;
  stored bytea;
  diff int := 0;
  i int;
begin
  select * into d from public.notification_destinations x
  where x.tenant_id = private.current_tenant() and x.user_id = private.current_user_id()
    and x.channel = p_channel and x.status = 'pending'
  order by x.created_at desc limit 1
  for update;
  if not found then
    return;
  elsif d.expires_at <= now() then
    return query select 'expired'::text, greatest(0, 5 - d.attempts);
    return;
  elsif d.attempts >= 5 then
    return query select 'locked'::text, 0;
    return;
  elsif d.code_hash is null then
    return query select 'not_sent'::text, 5 - d.attempts;
    return;
  end if;
  given := pg_catalog.sha256(pg_catalog.convert_to(d.id::text || ':' || coalesce(p_code, ''), 'UTF8'));
  stored := pg_catalog.decode(d.code_hash, 'hex');
  for i in 0 .. 31 loop
    diff := diff | (pg_catalog.get_byte(given, i) # pg_catalog.get_byte(stored, i));
  end loop;
  if diff = 0 then
    update public.notification_destinations x set status = 'verified', verified_at = now(), attempts = x.attempts + 1
    where x.tenant_id = d.tenant_id and x.id = d.id;
    return query select 'verified'::text, 4 - d.attempts;
  else
    update public.notification_destinations x set attempts = x.attempts + 1
    where x.tenant_id = d.tenant_id and x.id = d.id;
    return query select 'wrong'::text, 4 - d.attempts;
  end if;
end $$;
alter function private.verify_destination(text, text) owner to app_private;
revoke all on function private.verify_destination(text, text) from public;
grant execute on function private.verify_destination(text, text) to authenticated;
