-- Idempotency-Key records: the first response to a POST is stored in the same transaction as its
-- effect and replayed for the same key; the same key with another body is a conflict. Kept 24 h,
-- well past QStash's 10-minute dedupe window.

create table public.idempotency_keys (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  key text not null check (char_length(key) between 1 and 255),
  user_id uuid not null references auth.users (id) on delete cascade,
  request_hash text not null,
  status_code int,
  response_body jsonb,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '24 hours',
  primary key (tenant_id, key)
);
create index idempotency_keys_tenant_expires_idx on public.idempotency_keys (tenant_id, expires_at);

-- Routes a person calls before belonging to any tenant (sign-up, switching tenant) keep their
-- keys per person. Global per-user table: RLS keys on user_id.
create table public.user_idempotency_keys (
  user_id uuid not null references auth.users (id) on delete cascade,
  key text not null check (char_length(key) between 1 and 255),
  request_hash text not null,
  status_code int,
  response_body jsonb,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '24 hours',
  primary key (user_id, key)
);
comment on table public.user_idempotency_keys is 'Idempotency records of user-level routes. Global per-user table; RLS keys on user_id.';

alter table public.idempotency_keys enable row level security;
alter table public.idempotency_keys force row level security;
alter table public.user_idempotency_keys enable row level security;
alter table public.user_idempotency_keys force row level security;
revoke all on public.idempotency_keys, public.user_idempotency_keys from anon, authenticated;
grant select, insert, update, delete on public.idempotency_keys, public.user_idempotency_keys to authenticated;

create policy idempotency_keys_select_own on public.idempotency_keys for select to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy idempotency_keys_insert_own on public.idempotency_keys for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy idempotency_keys_update_own on public.idempotency_keys for update to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()))
  with check (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy idempotency_keys_delete_own on public.idempotency_keys for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));

create policy user_idempotency_keys_select_own on public.user_idempotency_keys for select to authenticated
  using (user_id = (select private.current_user_id()));
create policy user_idempotency_keys_insert_own on public.user_idempotency_keys for insert to authenticated
  with check (user_id = (select private.current_user_id()));
create policy user_idempotency_keys_update_own on public.user_idempotency_keys for update to authenticated
  using (user_id = (select private.current_user_id()))
  with check (user_id = (select private.current_user_id()));
create policy user_idempotency_keys_delete_own on public.user_idempotency_keys for delete to authenticated
  using (user_id = (select private.current_user_id()));

-- Pipelined before the handler's statements. A replay or a conflict raises, which aborts the
-- transaction, so the handler's effect never happens twice and the request still costs one flight.
create function private.idempotency_claim(p_scope text, p_key text, p_hash text) returns void
language plpgsql set search_path = '' as $$
declare
  stored_hash text;
  stored_status int;
  stored_body jsonb;
begin
  if p_scope = 'tenant' then
    delete from public.idempotency_keys
      where tenant_id = private.current_tenant() and key = p_key and expires_at < now();
    insert into public.idempotency_keys (tenant_id, key, user_id, request_hash)
      values (private.current_tenant(), p_key, private.current_user_id(), p_hash)
      on conflict (tenant_id, key) do nothing;
    if found then return; end if;
    select request_hash, status_code, response_body into stored_hash, stored_status, stored_body
      from public.idempotency_keys where tenant_id = private.current_tenant() and key = p_key;
  elsif p_scope = 'user' then
    delete from public.user_idempotency_keys
      where user_id = private.current_user_id() and key = p_key and expires_at < now();
    insert into public.user_idempotency_keys (user_id, key, request_hash)
      values (private.current_user_id(), p_key, p_hash)
      on conflict (user_id, key) do nothing;
    if found then return; end if;
    select request_hash, status_code, response_body into stored_hash, stored_status, stored_body
      from public.user_idempotency_keys where user_id = private.current_user_id() and key = p_key;
  else
    raise exception 'unknown idempotency scope %', p_scope;
  end if;
  -- Invisible (another member's key in this tenant), another body, or never completed.
  if stored_hash is distinct from p_hash or stored_status is null then
    raise exception 'idempotency_conflict' using errcode = 'AO409';
  end if;
  raise exception 'idempotent_replay' using errcode = 'AO200',
    detail = jsonb_build_object('status', stored_status, 'body', stored_body)::text;
end $$;

create function private.idempotency_store(p_scope text, p_key text, p_status int, p_body jsonb) returns void
language sql set search_path = '' as $$
  update public.idempotency_keys set status_code = p_status, response_body = p_body
    where p_scope = 'tenant' and tenant_id = private.current_tenant() and key = p_key;
  update public.user_idempotency_keys set status_code = p_status, response_body = p_body
    where p_scope = 'user' and user_id = private.current_user_id() and key = p_key;
$$;

revoke all on function private.idempotency_claim(text, text, text), private.idempotency_store(text, text, int, jsonb) from public;
grant execute on function private.idempotency_claim(text, text, text), private.idempotency_store(text, text, int, jsonb) to authenticated;
