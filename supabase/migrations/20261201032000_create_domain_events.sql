-- The domain-event log (issue 13): what happened in a business, written by triggers in the same
-- transaction as the change itself, so an event exists exactly when its change committed. Outbound
-- webhooks fan out from it (next migration) and workflows' `event` triggers will read it. The
-- types are a closed list, kept equal to DOMAIN_EVENT_TYPES in shared/schemas/domain-events.ts
-- (a catalog test compares them). Payloads are the object as the API shows it, never a secret or
-- a token hash.

create type public.domain_event_type as enum (
  'appointment.created', 'appointment.updated', 'appointment.cancelled', 'appointment.completed',
  'task.created', 'task.updated', 'task.completed',
  'customer.created', 'customer.updated',
  'member.invited', 'member.joined'
);

create table public.domain_events (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  type public.domain_event_type not null,
  -- clock_timestamp, not now(): two events of one transaction keep their order.
  occurred_at timestamptz not null default clock_timestamp(),
  subject_id uuid not null,
  actor_id uuid,
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  primary key (tenant_id, id)
);
comment on table public.domain_events is 'Append-only log of what happened in a business (closed list of types), written by triggers in the changing transaction; webhooks and workflows consume it.';
create index domain_events_tenant_occurred_idx on public.domain_events (tenant_id, occurred_at, id);
create index domain_events_tenant_type_idx on public.domain_events (tenant_id, type, occurred_at, id);

alter table public.domain_events enable row level security;
alter table public.domain_events force row level security;
revoke all on public.domain_events from anon, authenticated;
grant select on public.domain_events to authenticated;
grant select, insert on public.domain_events to app_private;

-- The types whose payloads the caller may read anyway: an event shows the object, so reading it
-- needs what reading the object needs (a member with automation.read but without, say,
-- customers.read_all must not read every customer through the log). Evaluated once per
-- statement (an initplan), not per row.
create function private.readable_event_types() returns public.domain_event_type[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(t), '{}') from unnest(enum_range(null::public.domain_event_type)) t
  where case split_part(t::text, '.', 1)
    when 'appointment' then private.has_permission('appointments.read_all')
    when 'task' then private.has_permission('tasks.read_all')
    when 'customer' then private.has_permission('customers.read_all')
    when 'member' then t <> 'member.invited' or private.has_permission('members.manage')
    else false
  end
$$;
alter function private.readable_event_types() owner to app_private;
revoke all on function private.readable_event_types() from public;
grant execute on function private.readable_event_types() to authenticated;

-- Who reads automation (managers, admins, owners) reads the log, the types they may read; nobody
-- writes it but the triggers.
create policy domain_events_select_automation_read on public.domain_events for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.read'))
    and type = any ((select private.readable_event_types())::public.domain_event_type[]));
create policy domain_events_insert_never on public.domain_events for insert to authenticated with check (false);
create policy domain_events_update_never on public.domain_events for update to authenticated using (false);
create policy domain_events_delete_never on public.domain_events for delete to authenticated using (false);
create policy domain_events_select_app_private on public.domain_events for select to app_private using (true);
create policy domain_events_insert_app_private on public.domain_events for insert to app_private with check (true);

create function private.emit_domain_event(p_tenant uuid, p_type public.domain_event_type, p_subject uuid, p_payload jsonb)
returns void
language sql security definer set search_path = '' as $$
  insert into public.domain_events (tenant_id, type, subject_id, actor_id, payload)
  select p_tenant, p_type, p_subject, private.current_user_id(), p_payload
  -- A business being deleted takes its log with it: nothing to record.
  where exists (select 1 from public.tenants t where t.id = p_tenant)
$$;
alter function private.emit_domain_event(uuid, public.domain_event_type, uuid, jsonb) owner to app_private;
revoke all on function private.emit_domain_event(uuid, public.domain_event_type, uuid, jsonb) from public;

-- Appointments: created; cancelled / completed when the status becomes so; updated when what a
-- client sees changed otherwise (the sync trigger's touch of updated_at alone is not a change).
create function private.appointment_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  kind public.domain_event_type;
begin
  if tg_op = 'INSERT' then
    kind := 'appointment.created';
  elsif new.status is distinct from old.status and new.status = 'cancelled' then
    kind := 'appointment.cancelled';
  elsif new.status is distinct from old.status and new.status = 'completed' then
    kind := 'appointment.completed';
  elsif (new.title, new.starts_at, new.ends_at, new.status, new.customer_id, new.owner_employee_id, new.kind)
        is distinct from (old.title, old.starts_at, old.ends_at, old.status, old.customer_id, old.owner_employee_id, old.kind) then
    kind := 'appointment.updated';
  else
    return null;
  end if;
  perform private.emit_domain_event(new.tenant_id, kind, new.id, jsonb_build_object(
    'id', new.id, 'eventId', new.event_id, 'kind', new.kind, 'title', new.title, 'status', new.status,
    'start', new.starts_at, 'end', new.ends_at, 'ownerId', new.owner_employee_id, 'customerId', new.customer_id,
    'cancelledAt', new.cancelled_at, 'createdAt', new.created_at, 'updatedAt', new.updated_at));
  return null;
end $$;

create function private.task_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  kind public.domain_event_type;
begin
  if tg_op = 'INSERT' then
    kind := 'task.created';
  elsif new.deleted_at is not null then
    return null;
  elsif new.status is distinct from old.status and new.status = 'done' then
    kind := 'task.completed';
  elsif (new.title, new.description, new.status, new.assigned_to, new.customer_id, new.due_at)
        is distinct from (old.title, old.description, old.status, old.assigned_to, old.customer_id, old.due_at) then
    kind := 'task.updated';
  else
    return null;
  end if;
  perform private.emit_domain_event(new.tenant_id, kind, new.id, jsonb_build_object(
    'id', new.id, 'title', new.title, 'description', new.description, 'status', new.status,
    'assignedTo', new.assigned_to, 'createdBy', new.created_by, 'customerId', new.customer_id,
    'dueAt', new.due_at, 'createdAt', new.created_at, 'updatedAt', new.updated_at));
  return null;
end $$;

create function private.customer_event() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and (new.name, new.email, new.phone, new.department_id, new.assigned_to)
     is not distinct from (old.name, old.email, old.phone, old.department_id, old.assigned_to) then
    return null;
  end if;
  perform private.emit_domain_event(new.tenant_id,
    case when tg_op = 'INSERT' then 'customer.created' else 'customer.updated' end::public.domain_event_type,
    new.id, jsonb_build_object(
    'id', new.id, 'name', new.name, 'email', new.email, 'phone', new.phone, 'departmentId', new.department_id,
    'assignedTo', new.assigned_to, 'createdAt', new.created_at, 'updatedAt', new.updated_at));
  return null;
end $$;

-- The invitation as GET /v1/members/invitations shows it: never its token hash.
create function private.invitation_event() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.emit_domain_event(new.tenant_id, 'member.invited', new.id, jsonb_build_object(
    'id', new.id, 'email', new.email, 'role', new.role, 'departmentId', new.department_id,
    'customerId', new.customer_id, 'invitedBy', new.invited_by, 'createdAt', new.created_at, 'expiresAt', new.expires_at));
  return null;
end $$;

create function private.membership_event() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.emit_domain_event(new.tenant_id, 'member.joined', new.user_id, jsonb_build_object(
    'userId', new.user_id, 'email', new.email, 'displayName', new.display_name, 'role', new.role,
    'departmentId', new.department_id, 'customerId', new.customer_id, 'active', new.active,
    'createdAt', new.created_at, 'updatedAt', new.updated_at));
  return null;
end $$;

alter function private.appointment_event() owner to app_private;
alter function private.task_event() owner to app_private;
alter function private.customer_event() owner to app_private;
alter function private.invitation_event() owner to app_private;
alter function private.membership_event() owner to app_private;
revoke all on function private.appointment_event(), private.task_event(), private.customer_event(),
  private.invitation_event(), private.membership_event() from public;

create trigger appointments_domain_event after insert or update on public.appointments
  for each row execute function private.appointment_event();
create trigger tasks_domain_event after insert or update on public.tasks
  for each row execute function private.task_event();
create trigger customers_domain_event after insert or update on public.customers
  for each row execute function private.customer_event();
create trigger invitations_domain_event after insert on public.invitations
  for each row execute function private.invitation_event();
create trigger memberships_domain_event after insert on public.memberships
  for each row execute function private.membership_event();
