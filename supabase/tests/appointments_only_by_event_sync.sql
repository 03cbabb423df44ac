-- Nobody inserts an appointment directly: each one is a meeting or call event's, made by the sync.
select tests.two_tenants();
insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000a', 'reminder', 'Note', '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000a1');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.refused($$insert into public.appointments (tenant_id, event_id, owner_employee_id, kind, title, starts_at, ends_at)
  values ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-0000000000a1',
          'meeting', 'Fake', '2030-01-07 09:00Z', '2030-01-07 10:00Z')$$, 'even the owner inserts an appointment');
select tests.act_as_owner();
select tests.check(tests.count($$select 1 from public.appointments where tenant_id = '00000000-0000-4000-a000-00000000000a'$$) = 0, 'no appointment exists');
