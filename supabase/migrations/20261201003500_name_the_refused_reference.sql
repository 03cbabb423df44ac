-- Errors that name the problem: a refused reference says which request field it was. Our raises
-- may carry the body fields in DETAIL as {"fields": ["attendeeIds.1", …]} (paths within the
-- body; the API adds the message), read by shared/db/errors.ts. Nothing else changes: the same
-- references are accepted and refused as before, with the same not_found for a missing, hidden
-- or other tenant's one.

-- An attendee list: the foreign key to memberships decides, exactly as before; only when it
-- refuses are the positions of the ids that are no member of this business looked up (as the
-- caller sees memberships), so an accepted list costs what it did.
create or replace function private.set_event_attendees(p_event uuid, p_users uuid[]) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_owner uuid;
  v_cancelled boolean;
  v_constraint text;
  v_fields jsonb;
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
  begin
    insert into public.calendar_event_attendees (tenant_id, event_id, user_id)
    select distinct (select private.current_tenant()), p_event, u from unnest(p_users) u
    where u <> v_owner and not exists (
      select 1 from public.calendar_event_attendees a
      where a.tenant_id = (select private.current_tenant()) and a.event_id = p_event and a.user_id = u);
  exception when foreign_key_violation then
    get stacked diagnostics v_constraint = constraint_name;
    if v_constraint is distinct from 'calendar_event_attendees_tenant_id_user_id_fkey' then
      raise;
    end if;
    select jsonb_agg(format('attendeeIds.%s', u.i - 1) order by u.i) into v_fields
    from unnest(p_users) with ordinality u (id, i)
    where not exists (
      select 1 from public.memberships m
      where m.tenant_id = (select private.current_tenant()) and m.user_id = u.id);
    if v_fields is null then
      raise;
    end if;
    raise exception 'not_found' using errcode = 'AO404', detail = jsonb_build_object('fields', v_fields)::text;
  end;
end $$;

-- A customer reference (tasks, notes, appointments): every one of them is the body's customerId.
create or replace function private.guard_customer_reference() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.current_user_id() is null or new.customer_id is null
     or (tg_op = 'UPDATE' and new.customer_id is not distinct from old.customer_id) then
    return new;
  end if;
  if not exists (select 1 from public.customers c where c.tenant_id = new.tenant_id and c.id = new.customer_id) then
    raise exception 'not_found' using errcode = 'AO404', detail = '{"fields": ["customerId"]}';
  end if;
  return new;
end $$;
