-- Another tenant's events are not even busy time: neither busy blocks nor rows, nor writable.
select tests.two_tenants();
insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id) values
  ('00000000-0000-4000-a000-0000000e0001', '00000000-0000-4000-a000-00000000000b', 'meeting', 'B only', '2030-01-07 09:00Z', '2030-01-07 10:00Z', '00000000-0000-4000-a000-0000000000b3');
-- A person in both tenants, acting in A, and A's owner.
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count($$select 1 from private.calendar_busy('2030-01-01', '2030-02-01')$$) = 0, 'no busy block from B');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count($$select 1 from private.calendar_busy('2030-01-01', '2030-02-01')$$) = 0, 'not for A''s owner either');
select tests.check(tests.count('select 1 from public.calendar_events') = 0, 'no event rows from B');
select tests.check(tests.count('select 1 from public.appointments') = 0, 'no appointments from B');
update public.calendar_events set title = 'pwned' where id = '00000000-0000-4000-a000-0000000e0001';
select tests.refused($$select private.set_event_attendees('00000000-0000-4000-a000-0000000e0001', '{}')$$, 'change B''s attendees');
select tests.act_as_owner();
select tests.check((select title from public.calendar_events where id = '00000000-0000-4000-a000-0000000e0001') = 'B only', 'B''s event is unchanged');
