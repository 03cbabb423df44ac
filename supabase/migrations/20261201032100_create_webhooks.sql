-- Outbound webhooks (issue 13, item 6). A business (webhooks.manage: owners, admins) subscribes
-- HTTPS endpoints to domain event types. Each new event makes one delivery per subscribed enabled
-- endpoint (unique per event and endpoint) and queues its first attempt through job_outbox
-- (dedupe id webhook:{delivery}:{attempt}); the webhook-delivery job claims the attempt before
-- sending, so a duplicated QStash delivery records one try and sends once.
--
-- The signing secret lives in its own table that `authenticated` holds no privilege on: no
-- column, view or policy lets a request read it back. Requests write it only through
-- set_webhook_secret() (webhooks.manage, own tenant); only the job's functions (office_jobs)
-- read it. It must be stored readable (not hashed): the sender signs with it (HMAC).

create table public.webhook_endpoints (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  url text not null check (char_length(url) between 9 and 2048 and url like 'https://%'),
  description text check (char_length(description) <= 500),
  -- null: every type, also those added later.
  event_types public.domain_event_type[] check (event_types is null or cardinality(event_types) between 1 and 64),
  enabled boolean not null default true,
  disabled_reason text check (char_length(disabled_reason) <= 500),
  disabled_at timestamptz,
  consecutive_failures int not null default 0 check (consecutive_failures >= 0),
  secret_rotated_at timestamptz not null default now(),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (enabled or disabled_reason is not null)
);
create index webhook_endpoints_tenant_created_idx on public.webhook_endpoints (tenant_id, created_at, id);
create trigger webhook_endpoints_touch before update on public.webhook_endpoints for each row execute function private.touch_updated_at();

alter table public.webhook_endpoints enable row level security;
alter table public.webhook_endpoints force row level security;
revoke all on public.webhook_endpoints from anon, authenticated;
grant select, delete on public.webhook_endpoints to authenticated;
grant insert (tenant_id, id, url, description, event_types, created_by) on public.webhook_endpoints to authenticated;
grant update (url, description, event_types, enabled, disabled_reason, disabled_at, consecutive_failures, secret_rotated_at)
  on public.webhook_endpoints to authenticated;
grant select, update (enabled, disabled_reason, disabled_at, consecutive_failures) on public.webhook_endpoints to app_private;

create policy webhook_endpoints_select_webhooks_manage on public.webhook_endpoints for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage')));
create policy webhook_endpoints_insert_webhooks_manage on public.webhook_endpoints for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage'))
    and created_by = (select private.current_user_id()));
create policy webhook_endpoints_update_webhooks_manage on public.webhook_endpoints for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage')));
create policy webhook_endpoints_delete_webhooks_manage on public.webhook_endpoints for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage')));
create policy webhook_endpoints_select_app_private on public.webhook_endpoints for select to app_private using (true);
create policy webhook_endpoints_update_app_private on public.webhook_endpoints for update to app_private using (true) with check (true);

-- At most 25 endpoints per business: each event fans out to all of them.
create function private.limit_webhook_endpoints() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || new.tenant_id::text, 0));
  if (select count(*) from public.webhook_endpoints e where e.tenant_id = new.tenant_id) >= 25 then
    raise exception 'webhook_endpoint_limit' using errcode = 'AO409';
  end if;
  return new;
end $$;
alter function private.limit_webhook_endpoints() owner to app_private;
revoke all on function private.limit_webhook_endpoints() from public;
create trigger webhook_endpoints_limit before insert on public.webhook_endpoints
  for each row execute function private.limit_webhook_endpoints();
-- Audited when a person changes what matters (not on every failure count of the sender).
create trigger webhook_endpoints_audit after insert or delete or update of url, description, event_types, enabled, secret_rotated_at
  on public.webhook_endpoints for each row execute function private.audit_row('tenant_id', 'id');

create table public.webhook_secrets (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  endpoint_id uuid not null,
  secret text not null check (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, endpoint_id),
  foreign key (tenant_id, endpoint_id) references public.webhook_endpoints (tenant_id, id) on delete cascade
);
comment on table public.webhook_secrets is 'Standard Webhooks signing secrets. No privilege for authenticated: written by set_webhook_secret(), read only by the webhook-delivery job.';
alter table public.webhook_secrets enable row level security;
alter table public.webhook_secrets force row level security;
revoke all on public.webhook_secrets from anon, authenticated;
grant select, insert, update on public.webhook_secrets to app_private;
create policy webhook_secrets_select_never on public.webhook_secrets for select to authenticated using (false);
create policy webhook_secrets_insert_never on public.webhook_secrets for insert to authenticated with check (false);
create policy webhook_secrets_update_never on public.webhook_secrets for update to authenticated using (false);
create policy webhook_secrets_delete_never on public.webhook_secrets for delete to authenticated using (false);
create policy webhook_secrets_select_app_private on public.webhook_secrets for select to app_private using (true);
create policy webhook_secrets_insert_app_private on public.webhook_secrets for insert to app_private with check (true);
create policy webhook_secrets_update_app_private on public.webhook_secrets for update to app_private using (true) with check (true);

-- Sets (creation) or replaces (rotation) an endpoint's secret: webhooks.manage, an endpoint of
-- the caller's business. False: no such endpoint there.
create function private.set_webhook_secret(p_endpoint uuid, p_secret text) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
begin
  if tenant is null or not private.has_permission('webhooks.manage') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  if not exists (select 1 from public.webhook_endpoints e where e.tenant_id = tenant and e.id = p_endpoint) then
    return false;
  end if;
  insert into public.webhook_secrets (tenant_id, endpoint_id, secret) values (tenant, p_endpoint, p_secret)
  on conflict (tenant_id, endpoint_id) do update set secret = excluded.secret, created_at = now();
  return true;
end $$;
alter function private.set_webhook_secret(uuid, text) owner to app_private;
revoke all on function private.set_webhook_secret(uuid, text) from public;
grant execute on function private.set_webhook_secret(uuid, text) to authenticated;

create table public.webhook_deliveries (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  endpoint_id uuid not null,
  event_id uuid not null,
  event_type public.domain_event_type not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'refused', 'skipped')),
  attempts int not null default 0 check (attempts >= 0),
  replays int not null default 0 check (replays >= 0),
  replayed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, event_id, endpoint_id),
  foreign key (tenant_id, endpoint_id) references public.webhook_endpoints (tenant_id, id) on delete cascade,
  foreign key (tenant_id, event_id) references public.domain_events (tenant_id, id) on delete cascade
);
create index webhook_deliveries_tenant_endpoint_idx on public.webhook_deliveries (tenant_id, endpoint_id, created_at, id);
create trigger webhook_deliveries_touch before update on public.webhook_deliveries for each row execute function private.touch_updated_at();
alter table public.webhook_deliveries enable row level security;
alter table public.webhook_deliveries force row level security;
revoke all on public.webhook_deliveries from anon, authenticated;
grant select on public.webhook_deliveries to authenticated;
grant select, insert, update on public.webhook_deliveries to app_private;
create policy webhook_deliveries_select_webhooks_manage on public.webhook_deliveries for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage')));
create policy webhook_deliveries_insert_never on public.webhook_deliveries for insert to authenticated with check (false);
create policy webhook_deliveries_update_never on public.webhook_deliveries for update to authenticated using (false);
create policy webhook_deliveries_delete_never on public.webhook_deliveries for delete to authenticated using (false);
create policy webhook_deliveries_select_app_private on public.webhook_deliveries for select to app_private using (true);
create policy webhook_deliveries_insert_app_private on public.webhook_deliveries for insert to app_private with check (true);
create policy webhook_deliveries_update_app_private on public.webhook_deliveries for update to app_private using (true) with check (true);
-- A replay is a person's act: audited (the sender's status updates are not).
create trigger webhook_deliveries_audit after update of replayed_at on public.webhook_deliveries
  for each row execute function private.audit_row('tenant_id', 'id');

-- One row per try of an attempt: attempt_id is the queued attempt (a replay is a new one), try
-- is QStash's Upstash-Retried. Claimed (inserted) before the request leaves.
create table public.webhook_attempts (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  delivery_id uuid not null,
  attempt_id uuid not null,
  try int not null default 0 check (try between 0 and 100),
  outcome text not null default 'sending' check (outcome in ('sending', 'delivered', 'failed', 'refused', 'skipped')),
  status_code int check (status_code between 100 and 599),
  latency_ms int check (latency_ms >= 0),
  error text check (char_length(error) <= 500),
  response_snippet text check (char_length(response_snippet) <= 1024),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, delivery_id, attempt_id, try),
  foreign key (tenant_id, delivery_id) references public.webhook_deliveries (tenant_id, id) on delete cascade
);
alter table public.webhook_attempts enable row level security;
alter table public.webhook_attempts force row level security;
revoke all on public.webhook_attempts from anon, authenticated;
grant select on public.webhook_attempts to authenticated;
grant select, insert, update on public.webhook_attempts to app_private;
create policy webhook_attempts_select_webhooks_manage on public.webhook_attempts for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('webhooks.manage')));
create policy webhook_attempts_insert_never on public.webhook_attempts for insert to authenticated with check (false);
create policy webhook_attempts_update_never on public.webhook_attempts for update to authenticated using (false);
create policy webhook_attempts_delete_never on public.webhook_attempts for delete to authenticated using (false);
create policy webhook_attempts_select_app_private on public.webhook_attempts for select to app_private using (true);
create policy webhook_attempts_insert_app_private on public.webhook_attempts for insert to app_private with check (true);
create policy webhook_attempts_update_app_private on public.webhook_attempts for update to app_private using (true) with check (true);

-- Queues an attempt of a delivery (a fresh attempt id, so its dedupe id is new).
create function private.queue_webhook_attempt(p_tenant uuid, p_delivery uuid) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  attempt uuid := gen_random_uuid();
begin
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, 'webhook-delivery', format('webhook:%s:%s', p_delivery, attempt),
          jsonb_build_object('tenantId', p_tenant, 'deliveryId', p_delivery, 'attemptId', attempt), now());
  return attempt;
end $$;

-- Fan-out, in the event's own transaction: one delivery per subscribed enabled endpoint.
create function private.fan_out_domain_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  delivery uuid;
begin
  for delivery in
    insert into public.webhook_deliveries (tenant_id, endpoint_id, event_id, event_type)
    select new.tenant_id, e.id, new.id, new.type
    from public.webhook_endpoints e
    where e.tenant_id = new.tenant_id and e.enabled and (e.event_types is null or new.type = any (e.event_types))
    on conflict (tenant_id, event_id, endpoint_id) do nothing
    returning id
  loop
    perform private.queue_webhook_attempt(new.tenant_id, delivery);
  end loop;
  return null;
end $$;
alter function private.queue_webhook_attempt(uuid, uuid) owner to app_private;
alter function private.fan_out_domain_event() owner to app_private;
revoke all on function private.queue_webhook_attempt(uuid, uuid), private.fan_out_domain_event() from public;
create trigger domain_events_fan_out after insert on public.domain_events
  for each row execute function private.fan_out_domain_event();

-- Replay (webhooks.manage, own tenant): the same delivery (same webhook-id) again, as a new
-- attempt. Null: no such delivery in the caller's business.
create function private.replay_webhook_delivery(p_endpoint uuid, p_delivery uuid) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  tenant uuid := private.current_tenant();
begin
  if tenant is null or not private.has_permission('webhooks.manage') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  update public.webhook_deliveries d set status = 'pending', replays = d.replays + 1, replayed_at = clock_timestamp()
  where d.tenant_id = tenant and d.endpoint_id = p_endpoint and d.id = p_delivery;
  if not found then
    return null;
  end if;
  return private.queue_webhook_attempt(tenant, p_delivery);
end $$;
alter function private.replay_webhook_delivery(uuid, uuid) owner to app_private;
revoke all on function private.replay_webhook_delivery(uuid, uuid) from public;
grant execute on function private.replay_webhook_delivery(uuid, uuid) to authenticated;

-- The job's claim: records this try (once; a duplicate gets no row and sends nothing) and
-- answers what to send. A delivered delivery is not sent again by a late duplicate of an older
-- attempt; a replay set it back to pending first.
create function private.claim_webhook_attempt(p_tenant uuid, p_delivery uuid, p_attempt uuid, p_try int)
returns table (record_id uuid, url text, secret text, enabled boolean, event_id uuid, event_type public.domain_event_type,
               occurred_at timestamptz, payload jsonb)
language plpgsql volatile security definer set search_path = '' as $$
declare
  rec uuid;
begin
  if not exists (select 1 from public.webhook_deliveries d where d.tenant_id = p_tenant and d.id = p_delivery and d.status <> 'delivered') then
    return;
  end if;
  insert into public.webhook_attempts (tenant_id, delivery_id, attempt_id, try)
  values (p_tenant, p_delivery, p_attempt, p_try)
  on conflict (tenant_id, delivery_id, attempt_id, try) do nothing
  returning id into rec;
  if rec is null then
    return;
  end if;
  return query
    select rec, e.url, s.secret, e.enabled, ev.id, ev.type, ev.occurred_at, ev.payload
    from public.webhook_deliveries d
    join public.webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id
    join public.domain_events ev on ev.tenant_id = d.tenant_id and ev.id = d.event_id
    left join public.webhook_secrets s on s.tenant_id = d.tenant_id and s.endpoint_id = d.endpoint_id
    where d.tenant_id = p_tenant and d.id = p_delivery;
end $$;

-- The try's result. A success resets the endpoint's failure count; a failure or refusal adds
-- one, and at p_max_failures in a row the endpoint is disabled with the reason.
create function private.finish_webhook_attempt(p_tenant uuid, p_record uuid, p_outcome text, p_status int, p_latency int,
  p_error text, p_snippet text, p_max_failures int)
returns table (endpoint_disabled boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  att public.webhook_attempts;
  endpoint uuid;
  failures int;
begin
  update public.webhook_attempts a set outcome = p_outcome, status_code = p_status, latency_ms = p_latency,
    error = left(p_error, 500), response_snippet = left(p_snippet, 1024), finished_at = clock_timestamp()
  where a.tenant_id = p_tenant and a.id = p_record and a.outcome = 'sending'
  returning * into att;
  if att.id is null then
    return query select false;
    return;
  end if;
  update public.webhook_deliveries d set status = p_outcome, attempts = d.attempts + 1,
    delivered_at = case when p_outcome = 'delivered' then clock_timestamp() else d.delivered_at end
  where d.tenant_id = p_tenant and d.id = att.delivery_id
  returning d.endpoint_id into endpoint;
  if p_outcome = 'skipped' then
    return query select false;
    return;
  end if;
  if p_outcome = 'delivered' then
    update public.webhook_endpoints e set consecutive_failures = 0 where e.tenant_id = p_tenant and e.id = endpoint;
    return query select false;
    return;
  end if;
  update public.webhook_endpoints e set consecutive_failures = e.consecutive_failures + 1
  where e.tenant_id = p_tenant and e.id = endpoint
  returning e.consecutive_failures into failures;
  if failures >= p_max_failures then
    update public.webhook_endpoints e set enabled = false, disabled_at = clock_timestamp(),
      disabled_reason = format('disabled after %s consecutive failed attempts; last: %s', failures, coalesce(left(p_error, 200), p_status::text))
    where e.tenant_id = p_tenant and e.id = endpoint and e.enabled;
    return query select found;
    return;
  end if;
  return query select false;
end $$;
alter function private.claim_webhook_attempt(uuid, uuid, uuid, int) owner to app_private;
alter function private.finish_webhook_attempt(uuid, uuid, text, int, int, text, text, int) owner to app_private;
revoke all on function private.claim_webhook_attempt(uuid, uuid, uuid, int),
  private.finish_webhook_attempt(uuid, uuid, text, int, int, text, text, int) from public;
grant execute on function private.claim_webhook_attempt(uuid, uuid, uuid, int),
  private.finish_webhook_attempt(uuid, uuid, text, int, int, text, text, int) to office_jobs;
