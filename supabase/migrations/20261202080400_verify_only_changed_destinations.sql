-- Verification requests (review of issue 13): every save of the notification settings requested
-- the verification of a still-unverified address again (`or new.email is not null`): a save that
-- only changed quiet hours sent a fresh code once the last one expired or was locked, and counted
-- toward the 5 codes an hour (429). Now a code is requested when the address changed, or when the
-- save asks for it (the route sets app.resend_verification = 'on' for resendVerification: true).
-- As in 20261202030100 otherwise.
create or replace function private.notification_settings_verify_destinations() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  resend boolean := coalesce(current_setting('app.resend_verification', true), '') = 'on';
begin
  if tg_op = 'INSERT' or new.email is distinct from old.email or (resend and new.email is not null) then
    perform private.request_destination_verification(new.tenant_id, new.user_id, 'email', new.email);
  end if;
  if tg_op = 'INSERT' or new.telegram_chat_id is distinct from old.telegram_chat_id or (resend and new.telegram_chat_id is not null) then
    perform private.request_destination_verification(new.tenant_id, new.user_id, 'telegram', new.telegram_chat_id);
  end if;
  return null;
end $$;
