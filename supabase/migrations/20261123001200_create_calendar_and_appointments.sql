-- The organisation's calendar and the appointments that meetings and calls become.
-- Everyone with calendar.read sees every event's time; details (title, guests, notes, location)
-- only for events they own or attend, or with appointments.read_all. The redaction happens here:
-- private.calendar_busy() yields only id and times, and the details come from a join that RLS
-- filters, so hidden details never leave Postgres.

create type public.calendar_event_kind as enum ('meeting', 'call', 'reminder', 'blocked');
create type public.appointment_status as enum ('scheduled', 'cancelled', 'completed');

create table public.calendar_events (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  kind public.calendar_event_kind not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  notes text check (char_length(notes) <= 10000),
  location text check (char_length(location) <= 500),
  guests jsonb not null default '[]' check (jsonb_typeof(guests) = 'array' and jsonb_array_length(guests) <= 100),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  owner_id uuid not null,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  check (ends_at > starts_at),
  -- Bounded length keeps range queries on (tenant_id, starts_at) exact (see calendar_busy).
  check (ends_at - starts_at <= interval '14 days'),
  foreign key (tenant_id, owner_id) references public.memberships (tenant_id, user_id)
);
create index calendar_events_tenant_starts_idx on public.calendar_events (tenant_id, starts_at) include (ends_at, id) where cancelled_at is null;
create index calendar_events_tenant_owner_idx on public.calendar_events (tenant_id, owner_id, starts_at);
create trigger calendar_events_touch before update on public.calendar_events for each row execute function private.touch_updated_at();

create table public.calendar_event_attendees (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  event_id uuid not null,
  user_id uuid not null,
  primary key (tenant_id, event_id, user_id),
  foreign key (tenant_id, event_id) references public.calendar_events (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id) on delete cascade
);
create index calendar_event_attendees_user_idx on public.calendar_event_attendees (tenant_id, user_id, event_id);

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  event_id uuid not null,
  owner_employee_id uuid not null,
  customer_id uuid,
  -- Kept in step with the event by the sync trigger below.
  kind public.calendar_event_kind not null,
  title text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status public.appointment_status not null default 'scheduled',
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  unique (tenant_id, event_id),
  check (kind in ('meeting', 'call')),
  foreign key (tenant_id, event_id) references public.calendar_events (tenant_id, id) on delete cascade,
  foreign key (tenant_id, owner_employee_id) references public.memberships (tenant_id, user_id),
  foreign key (tenant_id, customer_id) references public.customers (tenant_id, id) on delete set null (customer_id)
);
create index appointments_tenant_starts_idx on public.appointments (tenant_id, starts_at, id);
create index appointments_tenant_owner_idx on public.appointments (tenant_id, owner_employee_id, starts_at);
create index appointments_tenant_customer_idx on public.appointments (tenant_id, customer_id, starts_at);
create trigger appointments_touch before update on public.appointments for each row execute function private.touch_updated_at();

-- Events in the current tenant that the caller attends.
create function private.my_event_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.event_id from public.calendar_event_attendees a
  where a.tenant_id = private.current_tenant() and a.user_id = private.current_user_id()
$$;

create function private.owns_event(p_event uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.calendar_events e
    where e.id = p_event and e.tenant_id = private.current_tenant() and e.owner_id = private.current_user_id())
$$;

-- Every live event of the current tenant overlapping [from, to): id and times only. The helpers
-- are initplans (once per call, not per row); the range is an index range on
-- calendar_events_tenant_starts_idx because no event is longer than 14 days.
create function private.calendar_busy(p_from timestamptz, p_to timestamptz)
returns table (id uuid, starts_at timestamptz, ends_at timestamptz)
language sql stable security definer set search_path = '' rows 500 as $$
  select e.id, e.starts_at, e.ends_at
  from public.calendar_events e
  where e.tenant_id = (select private.current_tenant())
    and (select private.has_permission('calendar.read'))
    and e.cancelled_at is null
    and e.starts_at < p_to
    and e.starts_at > p_from - interval '14 days'
    and e.ends_at > p_from
$$;

-- Meetings and calls are appointments: creating or moving one creates or updates its
-- appointment (idempotent through the unique event_id); cancelling the event cancels it.
create function private.sync_appointment() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.kind in ('meeting', 'call') then
    insert into public.appointments (tenant_id, event_id, owner_employee_id, kind, title, starts_at, ends_at, status, cancelled_at)
    values (new.tenant_id, new.id, new.owner_id, new.kind, new.title, new.starts_at, new.ends_at,
            case when new.cancelled_at is null then 'scheduled' else 'cancelled' end::public.appointment_status, new.cancelled_at)
    on conflict (tenant_id, event_id) do update set
      kind = excluded.kind, title = excluded.title, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
      status = case when excluded.cancelled_at is not null then 'cancelled'::public.appointment_status
                    when appointments.status = 'cancelled' then 'scheduled'::public.appointment_status
                    else appointments.status end,
      cancelled_at = excluded.cancelled_at
    where (appointments.kind, appointments.title, appointments.starts_at, appointments.ends_at, appointments.cancelled_at)
          is distinct from (excluded.kind, excluded.title, excluded.starts_at, excluded.ends_at, excluded.cancelled_at);
  elsif tg_op = 'UPDATE' and old.kind in ('meeting', 'call') then
    update public.appointments set status = 'cancelled', cancelled_at = coalesce(cancelled_at, now())
    where tenant_id = new.tenant_id and event_id = new.id and status <> 'cancelled';
  end if;
  return null;
end $$;
create trigger calendar_events_sync_appointment after insert or update of kind, title, starts_at, ends_at, cancelled_at
  on public.calendar_events for each row execute function private.sync_appointment();

-- Cancelling an appointment cancels its event too (the row is kept, with its status). Not when
-- the appointment ends because its event stopped being a meeting or call: that event lives on.
create function private.cancel_event_with_appointment() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status = 'cancelled' and old.status <> 'cancelled' then
    update public.calendar_events set cancelled_at = coalesce(cancelled_at, now())
    where tenant_id = new.tenant_id and id = new.event_id and cancelled_at is null and kind in ('meeting', 'call');
  end if;
  return null;
end $$;
create trigger appointments_cancel_event after update of status on public.appointments
  for each row execute function private.cancel_event_with_appointment();

-- Replaces an event's attendee list: the owner's call. An event the caller cannot see is
-- not_found, one they do not own forbidden, a cancelled one a conflict: raised, so the whole
-- request rolls back (a delete that RLS filters would succeed silently). Runs as the caller.
create function private.set_event_attendees(p_event uuid, p_users uuid[]) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_owner uuid;
  v_cancelled boolean;
begin
  select e.owner_id, e.cancelled_at is not null into v_owner, v_cancelled from public.calendar_events e
  where e.tenant_id = (select private.current_tenant()) and e.id = p_event;
  if not found then
    raise exception 'not_found' using errcode = 'AO404';
  end if;
  if v_owner is distinct from (select private.current_user_id()) then
    raise exception 'only the event''s owner changes its attendees' using errcode = 'AO403';
  end if;
  if v_cancelled then
    raise exception 'the event is cancelled' using errcode = 'AO409';
  end if;
  delete from public.calendar_event_attendees a
  where a.tenant_id = (select private.current_tenant()) and a.event_id = p_event and a.user_id <> all (p_users);
  insert into public.calendar_event_attendees (tenant_id, event_id, user_id)
  select distinct (select private.current_tenant()), p_event, u from unnest(p_users) u
  where u <> v_owner and not exists (
    select 1 from public.calendar_event_attendees a
    where a.tenant_id = (select private.current_tenant()) and a.event_id = p_event and a.user_id = u);
end $$;

alter function private.my_event_ids() owner to app_private;
alter function private.owns_event(uuid) owner to app_private;
alter function private.calendar_busy(timestamptz, timestamptz) owner to app_private;
alter function private.sync_appointment() owner to app_private;
alter function private.cancel_event_with_appointment() owner to app_private;
revoke all on function private.my_event_ids(), private.owns_event(uuid), private.calendar_busy(timestamptz, timestamptz),
  private.sync_appointment(), private.cancel_event_with_appointment() from public;
grant execute on function private.my_event_ids(), private.owns_event(uuid), private.calendar_busy(timestamptz, timestamptz)
  to authenticated, app_private;
revoke all on function private.set_event_attendees(uuid, uuid[]) from public;
grant execute on function private.set_event_attendees(uuid, uuid[]) to authenticated;

alter table public.calendar_events enable row level security;
alter table public.calendar_events force row level security;
alter table public.calendar_event_attendees enable row level security;
alter table public.calendar_event_attendees force row level security;
alter table public.appointments enable row level security;
alter table public.appointments force row level security;
revoke all on public.calendar_events, public.calendar_event_attendees, public.appointments from anon, authenticated;
grant select, delete on public.calendar_events to authenticated;
grant insert (id, tenant_id, kind, title, notes, location, guests, starts_at, ends_at, owner_id) on public.calendar_events to authenticated;
grant update (kind, title, notes, location, guests, starts_at, ends_at, cancelled_at) on public.calendar_events to authenticated;
grant select, insert, delete on public.calendar_event_attendees to authenticated;
-- Appointments are created only by the event sync trigger, so each one has its meeting or call.
grant select, delete on public.appointments to authenticated;
grant update (customer_id, status) on public.appointments to authenticated;
grant select, update on public.calendar_events to app_private;
grant select on public.calendar_event_attendees to app_private;
grant select, insert, update on public.appointments to app_private;

-- Details of an event: its owner, its attendees, and whoever may read all appointments.
create policy calendar_events_select_owner_attendee_or_all on public.calendar_events for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (
    owner_id = (select private.current_user_id())
    or id in (select private.my_event_ids())
    or (select private.has_permission('appointments.read_all'))
  ));
create policy calendar_events_insert_own on public.calendar_events for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and owner_id = (select private.current_user_id())
    and (select private.has_permission('appointments.write_own')));
create policy calendar_events_update_owner_or_attendee on public.calendar_events for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('appointments.write_own'))
    and (owner_id = (select private.current_user_id()) or id in (select private.my_event_ids())
         or (select private.has_permission('appointments.manage'))))
  with check (tenant_id = (select private.current_tenant()));
-- Events are cancelled (cancelled_at), never deleted; history stays.
create policy calendar_events_delete_never on public.calendar_events for delete to authenticated using (false);
create policy calendar_events_select_app_private on public.calendar_events for select to app_private using (true);
create policy calendar_events_update_app_private on public.calendar_events for update to app_private using (true) with check (true);

-- An event's attendees are visible exactly when its details are (the event's own select policy).
create policy calendar_event_attendees_select_visible on public.calendar_event_attendees for select to authenticated
  using (tenant_id = (select private.current_tenant()) and exists (
    select 1 from public.calendar_events e
    where e.tenant_id = calendar_event_attendees.tenant_id and e.id = calendar_event_attendees.event_id
  ));
create policy calendar_event_attendees_insert_owner on public.calendar_event_attendees for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and private.owns_event(event_id));
create policy calendar_event_attendees_update_never on public.calendar_event_attendees for update to authenticated using (false);
create policy calendar_event_attendees_delete_owner on public.calendar_event_attendees for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and private.owns_event(event_id));
create policy calendar_event_attendees_select_app_private on public.calendar_event_attendees for select to app_private using (true);

-- Appointments: own (owner), attended, all with appointments.read_all, and a customer's own.
create policy appointments_select_own_attended_all_or_customer on public.appointments for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (
    owner_employee_id = (select private.current_user_id())
    or event_id in (select private.my_event_ids())
    or (select private.has_permission('appointments.read_all'))
    or (customer_id is not null and customer_id = (select private.current_customer_id()))
  ));
create policy appointments_insert_by_event_sync_only on public.appointments for insert to authenticated
  with check (false);
-- A cancelled appointment (cancelled_at is set by the sync) stays cancelled: its event is gone.
create policy appointments_update_owner_or_attendee on public.appointments for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('appointments.write_own'))
    and (owner_employee_id = (select private.current_user_id()) or event_id in (select private.my_event_ids())
         or (select private.has_permission('appointments.manage'))))
  with check (tenant_id = (select private.current_tenant()) and (status = 'cancelled' or cancelled_at is null));
create policy appointments_delete_never on public.appointments for delete to authenticated using (false);
create policy appointments_select_app_private on public.appointments for select to app_private using (true);
create policy appointments_insert_app_private on public.appointments for insert to app_private with check (true);
create policy appointments_update_app_private on public.appointments for update to app_private using (true) with check (true);

create trigger calendar_events_audit after insert or update or delete on public.calendar_events
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger calendar_event_attendees_audit after insert or delete on public.calendar_event_attendees
  for each row execute function private.audit_row('tenant_id', 'event_id');
create trigger appointments_audit after insert or update or delete on public.appointments
  for each row execute function private.audit_row('tenant_id', 'id');
