-- A manager (appointments.read_all) reads every appointment and event in full; an employee only their own.
select tests.two_tenants();
insert into public.calendar_events (id, tenant_id, kind, title, notes, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000b', 'meeting', 'Boiler', 'code 4711', '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000b3'),
  ('00000000-0000-4000-a000-0000000e0002', '00000000-0000-4000-a000-00000000000b', 'call', 'Owner call', 'private', '2030-01-07 11:00Z', '2030-01-07 12:00Z', '00000000-0000-4000-a000-0000000000b1');
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000b');
select tests.check(tests.count('select 1 from public.appointments') = 2, 'the manager reads all appointments');
select tests.check(tests.count($$select 1 from public.calendar_events where notes is not null$$) = 2, 'and every event''s details');
select tests.act_as('00000000-0000-4000-a000-0000000000b3', '00000000-0000-4000-a000-00000000000b');
select tests.check(tests.count('select 1 from public.appointments') = 1, 'the employee reads only their own');
