-- A custom destination is pending until its own member sends back the code: messages do not go
-- there meanwhile, nobody marks it verified by SQL, a colleague can neither see nor verify it, and
-- the right code (hashed as the job hashes it) verifies it on the member's own attempt only.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
insert into public.notification_settings (tenant_id, user_id, telegram_enabled, telegram_chat_id) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', true, '12345');
select tests.check(tests.count($$select 1 from public.notification_destinations where status = 'pending' and address = '12345'$$) = 1, 'the chat is pending');
select tests.refused($$update public.notification_destinations set status = 'verified', verified_at = now()$$, 'no self-verification by SQL');
select tests.refused($$insert into public.notification_destinations (tenant_id, user_id, channel, address, status, verified_at) values
  ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'telegram', '999', 'verified', now())$$, 'no forged verified row');
select tests.refused($$select code_hash from public.notification_destinations$$, 'the hash is not readable');
select tests.check((select outcome from private.verify_destination('telegram', '123456')) = 'not_sent', 'no code sent yet');
select tests.act_as_owner();
select tests.check((select telegram_chat_id is null from private.notification_target('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', now())), 'nothing goes to a pending chat');
update public.notification_destinations set code_hash = encode(sha256(convert_to(id::text || ':123456', 'UTF8')), 'hex')
  where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3';
-- A colleague (the person in both businesses) neither sees nor verifies it, even with the code.
select tests.act_as('00000000-0000-4000-a000-0000000000c1', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.notification_destinations') = 0, 'a colleague sees none');
select tests.check(tests.count($$select 1 from private.verify_destination('telegram', '123456')$$) = 0, 'a colleague has nothing to verify');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check((select outcome from private.verify_destination('telegram', '123457')) = 'wrong', 'a wrong code');
select tests.check((select outcome from private.verify_destination('telegram', '123456')) = 'verified', 'the right code');
select tests.act_as_owner();
select tests.check((select telegram_chat_id = '12345' from private.notification_target('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', now())), 'the verified chat receives messages');
select tests.check((select attempts = 2 and status = 'verified' from public.notification_destinations where user_id = '00000000-0000-4000-a000-0000000000a3'), 'both attempts counted');
