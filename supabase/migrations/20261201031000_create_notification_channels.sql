-- Reminders that reach people (issue 13, item 1): per-member notification settings, per-business
-- reminder offsets, ad-hoc reminders, and one effect row per (reminder, channel) so a reminder
-- delivered several times by QStash sends one message per channel.
--
-- Notification settings are per membership, not per person: a person in two businesses may want
-- reminders from one by email and from the other on Telegram (or not at all), the address a
-- business knows them by is the membership's email, and the table then is an ordinary tenant table
-- under RLS. Quiet hours are read in the person's own time zone (user_settings.timezone).

create table public.notification_settings (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null,
  email_enabled boolean not null default true,
  telegram_enabled boolean not null default false,
  -- null: the member's email in this business.
  email text check (email is null or (char_length(email) between 3 and 320 and email like '_%@_%')),
  telegram_chat_id text check (telegram_chat_id is null or telegram_chat_id ~ '^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$'),
  quiet_start time,
  quiet_end time,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id),
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade,
  check ((quiet_start is null) = (quiet_end is null)),
  check (not telegram_enabled or telegram_chat_id is not null)
);

alter table public.notification_settings enable row level security;
alter table public.notification_settings force row level security;
revoke all on public.notification_settings from anon, authenticated;
grant select, insert (tenant_id, user_id, email_enabled, telegram_enabled, email, telegram_chat_id, quiet_start, quiet_end),
  update (email_enabled, telegram_enabled, email, telegram_chat_id, quiet_start, quiet_end, updated_at)
  on public.notification_settings to authenticated;
grant select on public.notification_settings to app_private;
-- Each member keeps their own; nobody else reads where someone's messages go.
create policy notification_settings_select_own on public.notification_settings for select to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy notification_settings_insert_own on public.notification_settings for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy notification_settings_update_own on public.notification_settings for update to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()))
  with check (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy notification_settings_delete_never on public.notification_settings for delete to authenticated
  using (false);
create policy notification_settings_select_app_private on public.notification_settings for select to app_private
  using (true);
create trigger notification_settings_audit after insert or update on public.notification_settings
  for each row execute function private.audit_row('tenant_id', 'user_id', 'telegram_chat_id');

-- Per business: how long before an appointment its reminders go out (minutes). No row: 24 h and 1 h.
create table public.automation_settings (
  tenant_id uuid primary key references public.tenants (id) on delete cascade,
  reminder_offsets int[] not null default array[1440, 60]
    check (cardinality(reminder_offsets) between 0 and 5 and array_position(reminder_offsets, null) is null
      and 5 <= all (reminder_offsets) and 40320 >= all (reminder_offsets)),
  updated_at timestamptz not null default now()
);

alter table public.automation_settings enable row level security;
alter table public.automation_settings force row level security;
revoke all on public.automation_settings from anon, authenticated;
grant select, insert (tenant_id, reminder_offsets), update (reminder_offsets, updated_at) on public.automation_settings to authenticated;
grant select on public.automation_settings to app_private;
create policy automation_settings_select_automation_read on public.automation_settings for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.read')));
create policy automation_settings_insert_automation_manage on public.automation_settings for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage')));
create policy automation_settings_update_automation_manage on public.automation_settings for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.manage')));
create policy automation_settings_delete_never on public.automation_settings for delete to authenticated
  using (false);
create policy automation_settings_select_app_private on public.automation_settings for select to app_private
  using (true);
create trigger automation_settings_audit after insert or update on public.automation_settings
  for each row execute function private.audit_row('tenant_id', 'tenant_id');

-- Ad-hoc reminders: a member reminds themselves, or (automation.manage) another staff member.
create table public.reminders (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  created_by uuid not null references auth.users (id) on delete cascade,
  text text not null check (char_length(text) between 1 and 1000),
  remind_at timestamptz not null,
  -- null: every channel the recipient has enabled.
  channels text[] check (channels is null or (cardinality(channels) between 1 and 2 and channels <@ array['email', 'telegram'])),
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  cancelled_by uuid references auth.users (id) on delete set null,
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade
);
create index reminders_tenant_user_remind_idx on public.reminders (tenant_id, user_id, remind_at, id);
create index reminders_tenant_remind_idx on public.reminders (tenant_id, remind_at, id);

alter table public.reminders enable row level security;
alter table public.reminders force row level security;
revoke all on public.reminders from anon, authenticated;
grant select, insert (tenant_id, id, user_id, created_by, text, remind_at, channels),
  update (cancelled_at, cancelled_by) on public.reminders to authenticated;
grant select on public.reminders to app_private;

-- Whether the caller may remind `p_user`: themselves, or anyone with automation.manage; the
-- recipient must be an active staff member of the business (customers get no internal reminders).
create function private.may_remind(p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select (p_user = private.current_user_id() or private.has_permission('automation.manage'))
     and exists (select 1 from public.memberships m
                 where m.tenant_id = private.current_tenant() and m.user_id = p_user and m.active and m.role <> 'customer')
$$;
alter function private.may_remind(uuid) owner to app_private;
revoke all on function private.may_remind(uuid) from public;
grant execute on function private.may_remind(uuid) to authenticated;

create policy reminders_select_own_or_automation_read on public.reminders for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (user_id = (select private.current_user_id()) or created_by = (select private.current_user_id())
      or (select private.has_permission('automation.read'))));
create policy reminders_insert_may_remind on public.reminders for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and created_by = (select private.current_user_id())
    and private.may_remind(user_id));
-- Cancelling: the recipient, the author, or automation.manage.
create policy reminders_update_cancel on public.reminders for update to authenticated
  using (tenant_id = (select private.current_tenant())
    and (user_id = (select private.current_user_id()) or created_by = (select private.current_user_id())
      or (select private.has_permission('automation.manage'))))
  with check (tenant_id = (select private.current_tenant()) and cancelled_by = (select private.current_user_id()));
create policy reminders_delete_never on public.reminders for delete to authenticated
  using (false);
create policy reminders_select_app_private on public.reminders for select to app_private
  using (true);

-- Only a cancellation, once.
create function private.guard_reminder_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.cancelled_at is not null then
    raise exception 'reminder_cancelled' using errcode = 'AO409';
  end if;
  return new;
end $$;
revoke all on function private.guard_reminder_change() from public;
create trigger reminders_guard before update on public.reminders
  for each row execute function private.guard_reminder_change();
create trigger reminders_audit after insert or update on public.reminders
  for each row execute function private.audit_row('tenant_id', 'id');

-- Queues the reminder in the creating transaction (dedupe id reminder:adhoc:{id}).
create function private.schedule_adhoc_reminder() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (new.tenant_id, 'adhoc-reminder', format('reminder:adhoc:%s', new.id),
    jsonb_build_object('tenantId', new.tenant_id, 'reminderId', new.id), new.remind_at)
  on conflict (dedupe_id) do nothing;
  return null;
end $$;
alter function private.schedule_adhoc_reminder() owner to app_private;
revoke all on function private.schedule_adhoc_reminder() from public;
create trigger reminders_schedule after insert on public.reminders
  for each row execute function private.schedule_adhoc_reminder();

-- The effect: one row per (reminder, channel), claimed before the send and marked after it. Its
-- id is the provider's idempotency key, so a retry after a crash between the two re-sends with
-- the same key and the provider keeps one message.
create table public.notification_deliveries (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  reminder_key text not null check (char_length(reminder_key) <= 200),
  channel text not null check (channel in ('email', 'telegram')),
  user_id uuid not null,
  status text not null default 'claimed' check (status in ('claimed', 'sent', 'skipped')),
  reason text check (char_length(reason) <= 200),
  attempts int not null default 1,
  -- A claim is held this long: a concurrent delivery waits (retries) instead of sending too.
  lease_until timestamptz,
  provider_message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, reminder_key, channel),
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade
);
create index notification_deliveries_tenant_user_idx on public.notification_deliveries (tenant_id, user_id, created_at);

alter table public.notification_deliveries enable row level security;
alter table public.notification_deliveries force row level security;
revoke all on public.notification_deliveries from anon, authenticated;
grant select on public.notification_deliveries to authenticated;
grant select, insert, update on public.notification_deliveries to app_private;
create policy notification_deliveries_select_own_or_automation_read on public.notification_deliveries for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (user_id = (select private.current_user_id()) or (select private.has_permission('automation.read'))));
create policy notification_deliveries_insert_never on public.notification_deliveries for insert to authenticated with check (false);
create policy notification_deliveries_update_never on public.notification_deliveries for update to authenticated using (false);
create policy notification_deliveries_delete_never on public.notification_deliveries for delete to authenticated using (false);
create policy notification_deliveries_select_app_private on public.notification_deliveries for select to app_private using (true);
create policy notification_deliveries_insert_app_private on public.notification_deliveries for insert to app_private with check (true);
create policy notification_deliveries_update_app_private on public.notification_deliveries for update to app_private using (true) with check (true);
create trigger notification_deliveries_audit after insert or update on public.notification_deliveries
  for each row execute function private.audit_row('tenant_id', 'id');

-- Reminders at the business's offsets (24 h and 1 h by default). A moved appointment gets new rows
-- (its start is part of the dedupe id); the old reminders still fire and are no-ops there.
create or replace function private.schedule_appointment_reminders() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  offset_minutes int;
  offsets int[];
begin
  if new.status <> 'scheduled' then
    return null;
  end if;
  select s.reminder_offsets into offsets from public.automation_settings s where s.tenant_id = new.tenant_id;
  foreach offset_minutes in array coalesce(offsets, array[1440, 60]) loop
    if new.starts_at - make_interval(mins => offset_minutes) > now() then
      insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
      values (
        new.tenant_id,
        'appointment-reminder',
        format('reminder:%s:%s:%s', new.id, offset_minutes, to_char(new.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        jsonb_build_object('tenantId', new.tenant_id, 'appointmentId', new.id, 'offsetMinutes', offset_minutes,
          'startsAt', to_char(new.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        new.starts_at - make_interval(mins => offset_minutes)
      )
      on conflict (dedupe_id) do nothing;
    end if;
  end loop;
  return null;
end $$;

-- Where a member's messages go right now: enabled channels with their address, and, when `p_at`
-- falls in their quiet hours (in their time zone), when those end.
create function private.notification_target(p_tenant uuid, p_user uuid, p_at timestamptz)
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
    case when coalesce(ns.email_enabled, true) then coalesce(ns.email, m.email) end,
    case when coalesce(ns.telegram_enabled, false) then ns.telegram_chat_id end,
    case
      when qs is null or qs = qe then null
      when qs < qe and t >= qs and t < qe then (local_at::date + qe) at time zone tz
      when qs > qe and t >= qs then (local_at::date + 1 + qe) at time zone tz
      when qs > qe and t < qe then (local_at::date + qe) at time zone tz
    end
  from public.memberships m
  left join public.notification_settings ns on ns.tenant_id = m.tenant_id and ns.user_id = m.user_id
  where m.tenant_id = p_tenant and m.user_id = p_user and m.active;
end $$;

-- An appointment reminder's content and recipient (the assigned staff member), or nothing when it
-- is stale: the appointment moved, was cancelled or deleted since the reminder was queued.
create function private.appointment_reminder_context(p_tenant uuid, p_appointment uuid, p_starts_at timestamptz)
returns table (user_id uuid, title text, starts_at timestamptz, customer_name text)
language sql stable security definer set search_path = '' as $$
  select a.owner_employee_id, a.title, a.starts_at, c.name
  from public.appointments a
  left join public.customers c on c.tenant_id = a.tenant_id and c.id = a.customer_id
  where a.tenant_id = p_tenant and a.id = p_appointment and a.status = 'scheduled' and a.starts_at = p_starts_at
$$;

-- An ad-hoc reminder while it is open (not cancelled).
create function private.adhoc_reminder_context(p_tenant uuid, p_reminder uuid)
returns table (user_id uuid, text text, remind_at timestamptz, channels text[])
language sql stable security definer set search_path = '' as $$
  select r.user_id, r.text, r.remind_at, r.channels
  from public.reminders r
  where r.tenant_id = p_tenant and r.id = p_reminder and r.cancelled_at is null
$$;

-- Claims the (reminder, channel) effect. 'send': this delivery sends (first claim, or a claim
-- whose lease ran out after a crash: same id, so same idempotency key); 'busy': another delivery
-- holds it now; 'done': sent or skipped already.
create function private.claim_notification(p_tenant uuid, p_key text, p_channel text, p_user uuid)
returns table (id uuid, decision text)
language plpgsql security definer set search_path = '' as $$
declare
  row public.notification_deliveries;
begin
  insert into public.notification_deliveries as d (tenant_id, reminder_key, channel, user_id, lease_until)
  values (p_tenant, p_key, p_channel, p_user, now() + interval '30 seconds')
  on conflict (tenant_id, reminder_key, channel) do nothing
  returning * into row;
  if found then
    return query select row.id, 'send'::text;
    return;
  end if;
  update public.notification_deliveries d
  set lease_until = now() + interval '30 seconds', attempts = d.attempts + 1
  where d.tenant_id = p_tenant and d.reminder_key = p_key and d.channel = p_channel
    and d.status = 'claimed' and d.lease_until < now()
  returning * into row;
  if found then
    return query select row.id, 'send'::text;
    return;
  end if;
  return query select d.id, case when d.status = 'claimed' then 'busy' else 'done' end
  from public.notification_deliveries d
  where d.tenant_id = p_tenant and d.reminder_key = p_key and d.channel = p_channel;
end $$;

-- Marks a claimed effect sent (true the first time only, so it is metered once).
create function private.notification_sent(p_tenant uuid, p_id uuid, p_provider_id text)
returns boolean language plpgsql security definer set search_path = '' as $$
begin
  update public.notification_deliveries d
  set status = 'sent', sent_at = now(), provider_message_id = p_provider_id, lease_until = null
  where d.tenant_id = p_tenant and d.id = p_id and d.status = 'claimed';
  return found;
end $$;

-- Records that a (reminder, channel) will not be sent, and why (quiet hours, no address, …).
create function private.notification_skipped(p_tenant uuid, p_key text, p_channel text, p_user uuid, p_reason text)
returns boolean language plpgsql security definer set search_path = '' as $$
begin
  insert into public.notification_deliveries (tenant_id, reminder_key, channel, user_id, status, reason)
  values (p_tenant, p_key, p_channel, p_user, 'skipped', p_reason)
  on conflict (tenant_id, reminder_key, channel) do nothing;
  return found;
end $$;

-- A reminder that fell in quiet hours runs again when they end (its own dedupe id).
create function private.defer_reminder(p_tenant uuid, p_job text, p_dedupe text, p_payload jsonb, p_at timestamptz)
returns boolean language plpgsql security definer set search_path = '' as $$
begin
  if p_job not in ('appointment-reminder', 'adhoc-reminder') then
    raise exception 'not a reminder job' using errcode = '22023';
  end if;
  insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before)
  values (p_tenant, p_job, p_dedupe, p_payload, p_at)
  on conflict (dedupe_id) do nothing;
  return found;
end $$;

alter function private.notification_target(uuid, uuid, timestamptz) owner to app_private;
alter function private.appointment_reminder_context(uuid, uuid, timestamptz) owner to app_private;
alter function private.adhoc_reminder_context(uuid, uuid) owner to app_private;
alter function private.claim_notification(uuid, text, text, uuid) owner to app_private;
alter function private.notification_sent(uuid, uuid, text) owner to app_private;
alter function private.notification_skipped(uuid, text, text, uuid, text) owner to app_private;
alter function private.defer_reminder(uuid, text, text, jsonb, timestamptz) owner to app_private;
revoke all on function private.notification_target(uuid, uuid, timestamptz), private.appointment_reminder_context(uuid, uuid, timestamptz),
  private.adhoc_reminder_context(uuid, uuid), private.claim_notification(uuid, text, text, uuid), private.notification_sent(uuid, uuid, text),
  private.notification_skipped(uuid, text, text, uuid, text), private.defer_reminder(uuid, text, text, jsonb, timestamptz) from public;
grant execute on function private.notification_target(uuid, uuid, timestamptz), private.appointment_reminder_context(uuid, uuid, timestamptz),
  private.adhoc_reminder_context(uuid, uuid), private.claim_notification(uuid, text, text, uuid), private.notification_sent(uuid, uuid, text),
  private.notification_skipped(uuid, text, text, uuid, text), private.defer_reminder(uuid, text, text, jsonb, timestamptz) to office_jobs;
