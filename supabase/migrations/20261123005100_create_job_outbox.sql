-- Transactional outbox for scheduled work. What a request decides to schedule (e.g. an
-- appointment's reminders) is written in the request's own transaction with a deterministic
-- dedupe id, so it is never lost or duplicated; the `outbox-drain` job publishes due rows to
-- QStash (same dedupe id) and marks them published.

create table public.job_outbox (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  job text not null check (job ~ '^[a-z][a-z0-9-]{1,62}$'),
  dedupe_id text not null unique check (char_length(dedupe_id) <= 200),
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  not_before timestamptz not null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  message_id text,
  unique (tenant_id, id)
);
create index job_outbox_tenant_created_idx on public.job_outbox (tenant_id, created_at);
create index job_outbox_due_idx on public.job_outbox (not_before) where published_at is null;

alter table public.job_outbox enable row level security;
alter table public.job_outbox force row level security;
revoke all on public.job_outbox from anon, authenticated;
grant select, insert, update on public.job_outbox to app_private;
-- Nobody reads or writes the outbox directly; triggers and the drain job do (as app_private).
create policy job_outbox_select_never on public.job_outbox for select to authenticated using (false);
create policy job_outbox_insert_never on public.job_outbox for insert to authenticated with check (false);
create policy job_outbox_update_never on public.job_outbox for update to authenticated using (false);
create policy job_outbox_delete_never on public.job_outbox for delete to authenticated using (false);
create policy job_outbox_select_app_private on public.job_outbox for select to app_private using (true);
create policy job_outbox_insert_app_private on public.job_outbox for insert to app_private with check (true);
create policy job_outbox_update_app_private on public.job_outbox for update to app_private using (true) with check (true);

-- Reminders 24 hours and 1 hour before each scheduled appointment. A moved appointment gets new
-- rows (its start is part of the dedupe id); the old reminders still fire and are no-ops there.
create function private.schedule_appointment_reminders() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  offset_minutes int;
begin
  if new.status <> 'scheduled' then
    return null;
  end if;
  foreach offset_minutes in array array[1440, 60] loop
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
alter function private.schedule_appointment_reminders() owner to app_private;
revoke all on function private.schedule_appointment_reminders() from public;
create trigger appointments_schedule_reminders after insert or update of starts_at, status on public.appointments
  for each row execute function private.schedule_appointment_reminders();

-- The drain job's two steps: what is due for publishing (QStash takes delays up to 7 days),
-- and recording what was published.
create function private.outbox_due(p_limit int) returns table (id uuid, job text, dedupe_id text, payload jsonb, not_before timestamptz)
language sql stable security definer set search_path = '' as $$
  select o.id, o.job, o.dedupe_id, o.payload, o.not_before
  from public.job_outbox o
  where o.published_at is null and o.not_before < now() + interval '6 days'
  order by o.not_before
  limit least(greatest(p_limit, 1), 500)
$$;

create function private.outbox_published(p_ids uuid[], p_message_ids text[]) returns int
language sql security definer set search_path = '' as $$
  with done as (
    update public.job_outbox o set published_at = now(), message_id = m.message_id
    from unnest(p_ids, p_message_ids) as m (id, message_id)
    where o.id = m.id and o.published_at is null
    returning 1
  )
  select count(*)::int from done
$$;

alter function private.outbox_due(int) owner to app_private;
alter function private.outbox_published(uuid[], text[]) owner to app_private;
revoke all on function private.outbox_due(int), private.outbox_published(uuid[], text[]) from public;
grant execute on function private.outbox_due(int), private.outbox_published(uuid[], text[]) to office_jobs;
