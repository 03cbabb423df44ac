-- A meeting or call becomes an appointment by trigger and moves with it; a reminder does not;
-- turning the meeting into a reminder cancels the appointment and keeps the event.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000a', 'meeting', 'Check-up', '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000a3'),
  ('00000000-0000-4000-a000-0000000e0002', '00000000-0000-4000-a000-00000000000a', 'reminder', 'Water plants', '2030-01-07 11:00Z', '2030-01-07 11:15Z', '00000000-0000-4000-a000-0000000000a3');
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0001'
  and title = 'Check-up' and starts_at = '2030-01-07 09:00Z' and status = 'scheduled' and owner_employee_id = '00000000-0000-4000-a000-0000000000a3'$$) = 1, 'the meeting is an appointment');
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0002'$$) = 0, 'the reminder is not');
update public.calendar_events set starts_at = '2030-01-08 09:00Z', ends_at = '2030-01-08 10:00Z' where id = '00000000-0000-4000-a000-0000000e0001';
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0001' and starts_at = '2030-01-08 09:00Z'$$) = 1, 'moving the event moves the appointment');
update public.calendar_events set kind = 'reminder' where id = '00000000-0000-4000-a000-0000000e0001';
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0001' and status = 'cancelled'$$) = 1, 'no longer a meeting: the appointment is cancelled');
select tests.check(tests.count($$select 1 from public.calendar_events where id = '00000000-0000-4000-a000-0000000e0001' and cancelled_at is null$$) = 1, 'and the event lives on');
select tests.check(tests.count($$select 1 from public.appointments$$) = 1, 'one appointment in all');
