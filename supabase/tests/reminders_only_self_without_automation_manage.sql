-- Ad-hoc reminders in SQL, as an adversarial employee: they remind only themselves (not a
-- colleague, not a customer, not someone of another tenant), never write as someone else, see only
-- their own, cannot cancel others' nor un-cancel; the owner (automation.manage) may remind others.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.reminders (tenant_id, id, user_id, created_by, text, remind_at) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000e1', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a3', 'mine', now() + interval '1 hour');
select tests.check(tests.count('select 1 from public.reminders') = 1, 'the employee reminds themselves');
select tests.refused($$insert into public.reminders (tenant_id, user_id, created_by, text, remind_at) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-0000000000a3', 'a colleague', now() + interval '1 hour')$$, 'not a colleague');
select tests.refused($$insert into public.reminders (tenant_id, user_id, created_by, text, remind_at) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-0000000000a1', 'as the owner', now() + interval '1 hour')$$, 'not in the owner''s name');
select tests.refused($$insert into public.reminders (tenant_id, user_id, created_by, text, remind_at) values
  ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000b3', '00000000-0000-4000-a000-0000000000a3', 'another tenant', now() + interval '1 hour')$$, 'not into another tenant');
select tests.refused($$insert into public.job_outbox (tenant_id, job, dedupe_id, payload, not_before) values
  ('00000000-0000-4000-a000-00000000000a', 'adhoc-reminder', 'reminder:adhoc:forged', '{}', now())$$, 'not the outbox directly');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
insert into public.reminders (tenant_id, id, user_id, created_by, text, remind_at) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000e2', '00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-0000000000a1', 'for the colleague', now() + interval '1 hour');
select tests.refused($$insert into public.reminders (tenant_id, user_id, created_by, text, remind_at) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a4', '00000000-0000-4000-a000-0000000000a1', 'a customer', now() + interval '1 hour')$$, 'the owner neither reminds a customer');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.reminders') = 1, 'the employee still sees only their own');
update public.reminders set cancelled_at = now(), cancelled_by = '00000000-0000-4000-a000-0000000000a3' where id = '00000000-0000-4000-a000-0000000000e2';
select tests.refused($$update public.reminders set text = 'changed' where id = '00000000-0000-4000-a000-0000000000e1'$$, 'the text is not changed');
update public.reminders set cancelled_at = now(), cancelled_by = '00000000-0000-4000-a000-0000000000a3' where id = '00000000-0000-4000-a000-0000000000e1';
select tests.refused($$update public.reminders set cancelled_at = null where id = '00000000-0000-4000-a000-0000000000e1'$$, 'a cancelled reminder stays cancelled');
select tests.act_as_owner();
select tests.check((select cancelled_at is null from public.reminders where id = '00000000-0000-4000-a000-0000000000e2'), 'the colleague''s reminder was not cancelled');
select tests.check((select count(*) = 2 from public.job_outbox where dedupe_id in ('reminder:adhoc:00000000-0000-4000-a000-0000000000e1', 'reminder:adhoc:00000000-0000-4000-a000-0000000000e2')), 'each reminder queued its job');
