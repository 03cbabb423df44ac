-- Review fixes for automation (found by an adversarial read of issue 13's change):
-- * Workflow messages went to anyone with an active membership, portal customers included, so a
--   send_message or send_digest step could mail a customer internal text (an appointment summary).
--   Messages reach staff only: notification_target() now finds no customer (recipient_not_found).
-- * call_webhook sends the business's data to a URL of the author's choice: defining it now needs
--   webhooks.manage, as an outbound webhook endpoint does, not only automation.manage.
create or replace function private.notification_target(p_tenant uuid, p_user uuid, p_at timestamptz)
returns table (email text, telegram_chat_id text, quiet_until timestamptz)
language plpgsql stable security definer set search_path = '' as $$
declare
  tz text;
  local_at timestamp;
  qs time;
  qe time;
  t time;
begin
  select coalesce(s.timezone, 'UTC') into tz from public.user_settings s where s.user_id = p_user;
  tz := coalesce(tz, 'UTC');
  select ns.quiet_start, ns.quiet_end into qs, qe from public.notification_settings ns where ns.tenant_id = p_tenant and ns.user_id = p_user;
  local_at := p_at at time zone tz;
  t := local_at::time;
  return query
  select
    case when coalesce(ns.email_enabled, true) then coalesce(ns.email, m.email) end,
    case when coalesce(ns.telegram_enabled, false) then ns.telegram_chat_id end,
    case
      when qs is null or qs = qe then null
      when qs < qe and t >= qs and t < qe then (local_at::date + qe) at time zone tz
      when qs > qe and t >= qs then (local_at::date + 1 + qe) at time zone tz
      when qs > qe and t < qe then (local_at::date + qe) at time zone tz
    end
  from public.memberships m
  left join public.notification_settings ns on ns.tenant_id = m.tenant_id and ns.user_id = m.user_id
  where m.tenant_id = p_tenant and m.user_id = p_user and m.active and m.role <> 'customer';
end $$;

create or replace function private.may_define_actions(p_actions jsonb) returns boolean
language sql stable security definer set search_path = '' as $$
  select (not (p_actions @> '[{"type": "find_appointments"}]') or private.has_permission('appointments.read_all'))
     and (not (p_actions @> '[{"type": "aggregate_tasks"}]') or private.has_permission('tasks.read_all'))
     and (not (p_actions @> '[{"type": "call_webhook"}]') or private.has_permission('webhooks.manage'))
$$;
