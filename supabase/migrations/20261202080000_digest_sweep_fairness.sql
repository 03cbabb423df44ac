-- Digest sweep fairness (review of issue 13): a member whose channel always fails (a Telegram chat
-- that blocked the bot) sat in every first batch and, with the sweep stopping at any failure,
-- starved every other business's digests. Now:
-- * the sweep passes the members it already attempted in this fire (p_exclude, 'tenant:user'
--   keys), so later batches move on to others instead of stopping;
-- * a failed digest is recorded as waiting (`deferred`, due_at = the next attempt, backing off
--   15, 30, 60, 120 minutes) with a failure count; the 5th failure gives up: `skipped`;
-- * a deferred digest is picked up by its due time, whatever the member's local date is now — a
--   digest deferred past midnight (quiet hours ending after 00:00) used to never go out.
alter table public.daily_digests add column failures int not null default 0 check (failures between 0 and 100);

drop function private.digest_due(timestamptz, int);

create function private.digest_due(p_now timestamptz, p_limit int, p_exclude text[])
returns table (tenant_id uuid, user_id uuid, local_date date, time_zone text, local_time text,
               email text, telegram_chat_id text, quiet_until timestamptz, tasks jsonb)
language sql stable security definer set search_path = '' as $$
  select due.tenant_id, due.user_id, due.local_date, due.tz, to_char(due.local_at, 'HH24:MI'),
         nt.email, nt.telegram_chat_id, nt.quiet_until, private.digest_tasks(due.tenant_id, due.user_id, p_now)
  from (
    select * from (
      -- Deferred (quiet hours, or a failed attempt) and due now: by due time, for the row's own date
      -- (at most a day old), while the business has the template on and the member is active staff.
      (select d.tenant_id, d.user_id, d.time_zone as tz, p_now at time zone d.time_zone as local_at, d.local_date, 0 as pass, d.due_at as ord
       from public.daily_digests d
       join public.automation_templates tpl on tpl.tenant_id = d.tenant_id and tpl.template_key = 'daily_digest' and tpl.enabled
       join public.tenants t on t.id = d.tenant_id and t.status = 'active'
       join public.memberships m on m.tenant_id = d.tenant_id and m.user_id = d.user_id and m.active and m.role <> 'customer'
       where d.status = 'deferred' and d.due_at <= p_now
         and d.local_date >= (p_now at time zone d.time_zone)::date - 1
         and not (d.tenant_id::text || ':' || d.user_id::text = any(coalesce(p_exclude, '{}')))
       order by d.due_at, d.tenant_id, d.user_id
       limit least(greatest(p_limit, 1), 200))
      union all
      -- No digest yet for today's local date, 08:00 or later.
      (select m.tenant_id, m.user_id, l.tz, l.local_at, l.local_at::date, 1, null::timestamptz
       from public.automation_templates tpl
       join public.tenants t on t.id = tpl.tenant_id and t.status = 'active'
       join public.memberships m on m.tenant_id = tpl.tenant_id and m.active and m.role <> 'customer'
       left join public.user_settings us on us.user_id = m.user_id
       cross join lateral (select coalesce(us.timezone, 'UTC') as tz, p_now at time zone coalesce(us.timezone, 'UTC') as local_at) l
       left join public.daily_digests d on d.tenant_id = m.tenant_id and d.user_id = m.user_id and d.local_date = l.local_at::date
       where tpl.template_key = 'daily_digest' and tpl.enabled
         and l.local_at::time >= time '08:00'
         and tpl.enabled_at <= (l.local_at::date + time '08:00') at time zone l.tz
         and d.user_id is null
         and not (m.tenant_id::text || ':' || m.user_id::text = any(coalesce(p_exclude, '{}')))
       order by m.tenant_id, m.user_id
       limit least(greatest(p_limit, 1), 200))
    ) both_passes
    order by pass, ord, tenant_id, user_id
    limit least(greatest(p_limit, 1), 200)
  ) due
  cross join lateral private.notification_target(due.tenant_id, due.user_id, p_now) nt
$$;

-- A digest no channel delivered: waits for its next attempt (backing off), and after the 5th
-- failure is given up (`skipped`, with what each channel did). Returns the status it now has.
create function private.digest_failed(p_tenant uuid, p_user uuid, p_date date, p_tz text, p_channels jsonb, p_at timestamptz)
returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  result text;
begin
  insert into public.daily_digests as d (tenant_id, user_id, local_date, time_zone, status, due_at, failures)
  values (p_tenant, p_user, p_date, p_tz, 'deferred', p_at + interval '15 minutes', 1)
  on conflict (tenant_id, user_id, local_date) do update
    set failures = d.failures + 1,
        status = case when d.failures + 1 >= 5 then 'skipped' else 'deferred' end,
        due_at = case when d.failures + 1 >= 5 then null else p_at + interval '15 minutes' * power(2, d.failures) end,
        sent_at = case when d.failures + 1 >= 5 then p_at end,
        channels = case when d.failures + 1 >= 5 then coalesce(p_channels, '{}') else d.channels end,
        updated_at = now()
    where d.status = 'deferred'
  returning d.status into result;
  return coalesce(result, 'done');
end $$;

alter function private.digest_due(timestamptz, int, text[]) owner to app_private;
alter function private.digest_failed(uuid, uuid, date, text, jsonb, timestamptz) owner to app_private;
revoke all on function private.digest_due(timestamptz, int, text[]), private.digest_failed(uuid, uuid, date, text, jsonb, timestamptz) from public;
grant execute on function private.digest_due(timestamptz, int, text[]), private.digest_failed(uuid, uuid, date, text, jsonb, timestamptz) to office_jobs;
