-- Cancelling an appointment keeps it (status cancelled) and cancels its event; it stays cancelled.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000a', 'call', 'Supplier', '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000a3');
update public.appointments set status = 'cancelled' where event_id = '00000000-0000-4000-a000-0000000e0001';
select tests.check(tests.count($$select 1 from public.calendar_events where id = '00000000-0000-4000-a000-0000000e0001' and cancelled_at is not null$$) = 1, 'the event is cancelled');
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0001' and status = 'cancelled' and cancelled_at is not null$$) = 1, 'the appointment is kept, cancelled');
select tests.refused($$update public.appointments set status = 'scheduled' where event_id = '00000000-0000-4000-a000-0000000e0001'$$, 'un-cancel the appointment');
