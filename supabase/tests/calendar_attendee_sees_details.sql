-- An attendee of a colleague's meeting sees its details, its attendees and its appointment.
select tests.two_tenants();
insert into public.calendar_events (id, tenant_id, kind, title, notes, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000a', 'meeting', 'Planning', 'agenda',
   '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000c1');
insert into public.calendar_event_attendees (tenant_id, event_id, user_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-0000000000a3');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check((select notes from public.calendar_events where id = '00000000-0000-4000-a000-0000000e0001') = 'agenda', 'the details are visible');
select tests.check(tests.count($$select 1 from public.calendar_event_attendees where event_id = '00000000-0000-4000-a000-0000000e0001'$$) = 1, 'the attendee list is visible');
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0001'$$) = 1, 'the appointment is visible');
