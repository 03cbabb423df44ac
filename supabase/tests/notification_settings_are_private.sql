-- Notification settings are each member's own: nobody else in the business (not the owner) reads
-- or writes them, and delivery records are written only by the jobs.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.notification_settings (tenant_id, user_id, telegram_enabled, telegram_chat_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', true, '12345');
select tests.refused($$insert into public.notification_settings (tenant_id, user_id, email) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000c1', 'thief@evil.test')$$, 'not for a colleague');
select tests.refused($$insert into public.notification_settings (tenant_id, user_id) values
  ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000a3')$$, 'not in another tenant');
select tests.refused($$insert into public.notification_deliveries (tenant_id, reminder_key, channel, user_id, status) values
  ('00000000-0000-4000-a000-00000000000a', 'reminder:x', 'email', '00000000-0000-4000-a000-0000000000a3', 'sent')$$, 'no forged delivery record');
select tests.refused($$insert into public.automation_settings (tenant_id, reminder_offsets) values ('00000000-0000-4000-a000-00000000000a', array[5])$$, 'offsets need automation.manage');
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notification_settings') = 0, 'the owner does not read them');
update public.notification_settings set email = 'owner-redirect@a.test' where user_id = '00000000-0000-4000-a000-0000000000a3';
insert into public.automation_settings (tenant_id, reminder_offsets) values ('00000000-0000-4000-a000-00000000000a', array[30]);
select tests.act_as_owner();
select tests.check((select email is null from public.notification_settings where user_id = '00000000-0000-4000-a000-0000000000a3'), 'unchanged by the owner');
select tests.check((select reminder_offsets = array[30] from public.automation_settings where tenant_id = '00000000-0000-4000-a000-00000000000a'), 'the owner sets the offsets');
