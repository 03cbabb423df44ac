-- Events start workflows. Each domain event (written by triggers in the transaction that made the
-- change) starts the active workflows whose rules name its type, in that same transaction: the
-- execution exists exactly when the change committed, and private.workflow_handle_event() starts
-- at most one execution per (workflow version, event), so nothing runs twice. The workflow's
-- trigger payload carries the event's type, id, subject and the object as the event log shows it.
create function private.domain_event_starts_workflows() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.workflow_handle_event(new.tenant_id, new.type::text, new.id,
    pg_catalog.jsonb_build_object('event', new.type, 'eventId', new.id, 'subjectId', new.subject_id, 'data', new.payload));
  return null;
end $$;
alter function private.domain_event_starts_workflows() owner to app_private;
revoke all on function private.domain_event_starts_workflows() from public;
create trigger domain_events_start_workflows after insert on public.domain_events
  for each row execute function private.domain_event_starts_workflows();
