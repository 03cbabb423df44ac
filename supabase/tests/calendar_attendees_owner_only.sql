-- Only an event's owner changes its attendee list; an attendee cannot add or remove anyone.
select tests.two_tenants();
insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000a', 'meeting', 'Planning',
   '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000c1');
insert into public.calendar_event_attendees (tenant_id, event_id, user_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$select private.set_event_attendees('00000000-0000-4000-a000-0000000e0001', '{}')$$, 'an attendee replaces the list');
select tests.refused($$insert into public.calendar_event_attendees (tenant_id, event_id, user_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-0000000000a2')$$, 'an attendee adds someone');
delete from public.calendar_event_attendees where event_id = '00000000-0000-4000-a000-0000000e0001';
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count($$select 1 from public.calendar_event_attendees where event_id = '00000000-0000-4000-a000-0000000e0001'$$) = 1, 'the attendee removed nobody');
select private.set_event_attendees('00000000-0000-4000-a000-0000000e0001', '{00000000-0000-4000-a000-0000000000a2}');
select tests.check((select array_agg(user_id) from public.calendar_event_attendees where event_id = '00000000-0000-4000-a000-0000000e0001')
  = '{00000000-0000-4000-a000-0000000000a2}', 'the owner replaced the list');
