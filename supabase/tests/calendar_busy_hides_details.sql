-- An employee sees a colleague's meeting only as a busy block: id and times, no details.
select tests.two_tenants();
insert into public.calendar_events (id, tenant_id, kind, title, notes, location, guests, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000a', 'meeting', 'Secret merger talk', 'confidential',
   'Board room', '[{"email":"ceo@rival.test"}]', '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000c1');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count($$select 1 from private.calendar_busy('2030-01-07', '2030-01-08') where id = '00000000-0000-4000-a000-0000000e0001'$$) = 1, 'the time is visible as busy');
select tests.check(tests.count($$select 1 from public.calendar_events where id = '00000000-0000-4000-a000-0000000e0001'$$) = 0, 'the details are not');
select tests.check(tests.count($$select 1 from public.appointments where event_id = '00000000-0000-4000-a000-0000000e0001'$$) = 0, 'nor its appointment');
select tests.check(
  (select e.id is null from private.calendar_busy('2030-01-07', '2030-01-08') b left join public.calendar_events e on e.id = b.id
   where b.id = '00000000-0000-4000-a000-0000000e0001'),
  'the calendar join finds no details for it');
select tests.check(
  (select row_to_json(b)::text not like '%Secret%' and row_to_json(b)::text not like '%Board%' from private.calendar_busy('2030-01-07', '2030-01-08') b),
  'the busy function yields no detail columns');
