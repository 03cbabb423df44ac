-- Caps so one member or business cannot flood (hardening of issue 13):
-- * plans.automation_limits: per plan, the most workflows a business may keep ("workflows") and
--   the outbound messages (email + Telegram) it may send per UTC day ("dailyMessages"). Mirrors
--   shared/plans.ts (tests/node/plans.test.ts checks they agree).
-- * A workflow beyond the plan's count is refused in the inserting transaction (AO409
--   plan_limit_reached), under a per-business lock so two concurrent creates cannot both pass.
-- * outbound_message_budget counts a business's messages per UTC day; a message claimed over the
--   budget is recorded as skipped with reason 'budget' and nothing is sent
--   (private.claim_notification answers 'budget').

alter table public.plans add column automation_limits jsonb not null default '{}'
  check (jsonb_typeof(automation_limits) = 'object');
update public.plans set automation_limits = case id
  when 'free' then '{"workflows": 10, "dailyMessages": 200}'::jsonb
  when 'pro' then '{"workflows": 100, "dailyMessages": 5000}'::jsonb
  when 'enterprise' then '{"workflows": 1000, "dailyMessages": 100000}'::jsonb
  else automation_limits end;

create function private.plan_limit(p_tenant uuid, p_name text) returns int
language sql stable security definer set search_path = '' as $$
  select (p.automation_limits ->> p_name)::int from public.tenants t join public.plans p on p.id = t.plan where t.id = p_tenant
$$;
alter function private.plan_limit(uuid, text) owner to app_private;
revoke all on function private.plan_limit(uuid, text) from public;
grant select on public.plans to app_private;
create policy plans_select_app_private on public.plans for select to app_private using (true);

create function private.guard_workflow_cap() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  cap int := private.plan_limit(new.tenant_id, 'workflows');
begin
  if cap is null then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('workflows:' || new.tenant_id::text, 0));
  if (select count(*) from public.workflows w where w.tenant_id = new.tenant_id) >= cap then
    raise exception 'plan_limit_reached' using errcode = 'AO409',
      detail = format('{"limit": %s, "resource": "workflows"}', cap);
  end if;
  return new;
end $$;
alter function private.guard_workflow_cap() owner to app_private;
revoke all on function private.guard_workflow_cap() from public;
create trigger workflows_cap before insert on public.workflows
  for each row execute function private.guard_workflow_cap();

create table public.outbound_message_budget (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  day date not null,
  used int not null default 0 check (used >= 0),
  primary key (tenant_id, day)
);
alter table public.outbound_message_budget enable row level security;
alter table public.outbound_message_budget force row level security;
revoke all on public.outbound_message_budget from anon, authenticated;
grant select on public.outbound_message_budget to authenticated;
grant select, insert, update on public.outbound_message_budget to app_private;
create policy outbound_message_budget_select_automation_read on public.outbound_message_budget for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('automation.read')));
create policy outbound_message_budget_insert_never on public.outbound_message_budget for insert to authenticated with check (false);
create policy outbound_message_budget_update_never on public.outbound_message_budget for update to authenticated using (false);
create policy outbound_message_budget_delete_never on public.outbound_message_budget for delete to authenticated using (false);
create policy outbound_message_budget_select_app_private on public.outbound_message_budget for select to app_private using (true);
create policy outbound_message_budget_insert_app_private on public.outbound_message_budget for insert to app_private with check (true);
create policy outbound_message_budget_update_app_private on public.outbound_message_budget for update to app_private using (true) with check (true);

-- Takes one message from today's budget (UTC); false when it is used up.
create function private.take_outbound_budget(p_tenant uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  cap int := private.plan_limit(p_tenant, 'dailyMessages');
begin
  if cap is null then
    return true;
  end if;
  insert into public.outbound_message_budget as b (tenant_id, day, used)
  values (p_tenant, (now() at time zone 'UTC')::date, 1)
  on conflict (tenant_id, day) do update set used = b.used + 1 where b.used < cap;
  return found and cap > 0;
end $$;
alter function private.take_outbound_budget(uuid) owner to app_private;
revoke all on function private.take_outbound_budget(uuid) from public;

-- As in 20261201031000, plus the budget: a first claim takes one message from today's budget,
-- and over it the effect is recorded skipped ('budget') and the answer is 'budget' (not sent).
create or replace function private.claim_notification(p_tenant uuid, p_key text, p_channel text, p_user uuid)
returns table (id uuid, decision text)
language plpgsql security definer set search_path = '' as $$
declare
  row public.notification_deliveries;
begin
  insert into public.notification_deliveries as d (tenant_id, reminder_key, channel, user_id, lease_until)
  values (p_tenant, p_key, p_channel, p_user, now() + interval '30 seconds')
  on conflict (tenant_id, reminder_key, channel) do nothing
  returning * into row;
  if found then
    if not private.take_outbound_budget(p_tenant) then
      update public.notification_deliveries d set status = 'skipped', reason = 'budget', lease_until = null
      where d.tenant_id = p_tenant and d.id = row.id;
      return query select row.id, 'budget'::text;
      return;
    end if;
    return query select row.id, 'send'::text;
    return;
  end if;
  update public.notification_deliveries d
  set lease_until = now() + interval '30 seconds', attempts = d.attempts + 1
  where d.tenant_id = p_tenant and d.reminder_key = p_key and d.channel = p_channel
    and d.status = 'claimed' and d.lease_until < now()
  returning * into row;
  if found then
    return query select row.id, 'send'::text;
    return;
  end if;
  return query select d.id, case when d.status = 'claimed' then 'busy' else 'done' end
  from public.notification_deliveries d
  where d.tenant_id = p_tenant and d.reminder_key = p_key and d.channel = p_channel;
end $$;
