-- Demo data: two businesses, each with an owner, a manager, two employees in different
-- departments and a customer, plus one consultant who belongs to both. Ids are fixed so the
-- README's curl lines and `npm run token -- <email>` keep working after `npm run db:reset`.

insert into auth.users (id, email) values
  ('a0000000-0000-4000-8000-000000000001', 'olivia.owner@acme.test'),
  ('a0000000-0000-4000-8000-000000000002', 'max.manager@acme.test'),
  ('a0000000-0000-4000-8000-000000000003', 'eve.sales@acme.test'),
  ('a0000000-0000-4000-8000-000000000004', 'sam.support@acme.test'),
  ('a0000000-0000-4000-8000-000000000005', 'carl.customer@acme.test'),
  ('b0000000-0000-4000-8000-000000000001', 'grace.owner@globex.test'),
  ('b0000000-0000-4000-8000-000000000002', 'hank.manager@globex.test'),
  ('b0000000-0000-4000-8000-000000000003', 'ivy.sales@globex.test'),
  ('b0000000-0000-4000-8000-000000000004', 'jack.support@globex.test'),
  ('b0000000-0000-4000-8000-000000000005', 'kim.customer@globex.test'),
  ('c0000000-0000-4000-8000-000000000001', 'pat.consultant@example.test')
on conflict (id) do nothing;

insert into public.tenants (id, slug, name, plan, primary_host, created_by) values
  ('10000000-0000-4000-8000-000000000001', 'acme', 'Acme Dental', 'pro', 'office.acme-dental.test', 'a0000000-0000-4000-8000-000000000001'),
  ('20000000-0000-4000-8000-000000000002', 'globex', 'Globex Plumbing', 'free', null, 'b0000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.departments (tenant_id, name) values
  ('10000000-0000-4000-8000-000000000001', 'front-desk'), ('10000000-0000-4000-8000-000000000001', 'sales'),
  ('10000000-0000-4000-8000-000000000001', 'support'),
  ('20000000-0000-4000-8000-000000000002', 'dispatch'), ('20000000-0000-4000-8000-000000000002', 'sales'),
  ('20000000-0000-4000-8000-000000000002', 'support')
on conflict (tenant_id, name) do nothing;

insert into public.memberships (tenant_id, user_id, role, department_id, email, display_name)
select x.tenant_id::uuid, x.user_id::uuid, x.role::public.member_role, d.id, u.email,
       initcap(split_part(split_part(u.email, '@', 1), '.', 1))
from (values
  ('10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001', 'owner', null),
  ('10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'manager', 'front-desk'),
  ('10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000003', 'employee', 'sales'),
  ('10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000004', 'employee', 'support'),
  ('10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000005', 'customer', null),
  ('10000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', 'employee', 'sales'),
  ('20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', 'owner', null),
  ('20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000002', 'manager', 'dispatch'),
  ('20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000003', 'employee', 'sales'),
  ('20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000004', 'employee', 'support'),
  ('20000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000005', 'customer', null),
  ('20000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000001', 'manager', 'dispatch')
) as x (tenant_id, user_id, role, department)
join auth.users u on u.id = x.user_id::uuid
left join public.departments d on d.tenant_id = x.tenant_id::uuid and d.name = x.department
on conflict (tenant_id, user_id) do nothing;

insert into public.user_settings (user_id, active_tenant_id, timezone, locale)
select u.id,
       case when u.email like '%@globex.test' then '20000000-0000-4000-8000-000000000002'::uuid
            else '10000000-0000-4000-8000-000000000001'::uuid end,
       case when u.email like '%@globex.test' then 'America/Chicago' else 'Europe/Berlin' end,
       case when u.email like '%@globex.test' then 'en-US' else 'de-DE' end
from auth.users u
where u.id in (select user_id from public.memberships)
on conflict (user_id) do nothing;

-- The office: customers (each tenant's customer user is linked to one), calendar events (meetings
-- and calls become appointments by trigger), tasks and notes.
insert into public.customers (id, tenant_id, name, email, phone, department_id, assigned_to)
select x.id::uuid, x.tenant_id::uuid, x.name, x.email, x.phone, d.id, x.assigned_to::uuid
from (values
  ('c1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Carl Customer', 'carl.customer@acme.test', '+49 30 1234567', 'sales', 'a0000000-0000-4000-8000-000000000003'),
  ('c1000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Dora Patient', 'dora@example.test', '+49 30 7654321', 'support', 'a0000000-0000-4000-8000-000000000004'),
  ('c2000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', 'Kim Customer', 'kim.customer@globex.test', '+1 312 555 0100', 'sales', 'b0000000-0000-4000-8000-000000000003')
) as x (id, tenant_id, name, email, phone, department, assigned_to)
left join public.departments d on d.tenant_id = x.tenant_id::uuid and d.name = x.department
on conflict (id) do nothing;

update public.memberships set customer_id = 'c1000000-0000-4000-8000-000000000001'
  where tenant_id = '10000000-0000-4000-8000-000000000001' and user_id = 'a0000000-0000-4000-8000-000000000005';
update public.memberships set customer_id = 'c2000000-0000-4000-8000-000000000001'
  where tenant_id = '20000000-0000-4000-8000-000000000002' and user_id = 'b0000000-0000-4000-8000-000000000005';

insert into public.calendar_events (id, tenant_id, kind, title, notes, location, guests, starts_at, ends_at, owner_id)
values
  ('e1000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'meeting', 'Check-up: Carl',
   'Bring the X-ray results', 'Room 2', '[{"email":"carl.customer@acme.test"}]',
   date_trunc('day', now()) + interval '1 day 9 hours', date_trunc('day', now()) + interval '1 day 9 hours 30 minutes',
   'a0000000-0000-4000-8000-000000000003'),
  ('e1000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'call', 'Supplier call',
   'Negotiate the glove price', null, '[]',
   date_trunc('day', now()) + interval '1 day 11 hours', date_trunc('day', now()) + interval '1 day 11 hours 20 minutes',
   'a0000000-0000-4000-8000-000000000004'),
  ('e1000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'blocked', 'Focus time', null, null, '[]',
   date_trunc('day', now()) + interval '1 day 14 hours', date_trunc('day', now()) + interval '1 day 16 hours',
   'a0000000-0000-4000-8000-000000000002'),
  ('e2000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', 'meeting', 'Boiler inspection',
   'Basement access code 4711', 'Kim''s house', '[{"email":"kim.customer@globex.test"}]',
   date_trunc('day', now()) + interval '2 days 10 hours', date_trunc('day', now()) + interval '2 days 12 hours',
   'b0000000-0000-4000-8000-000000000003')
on conflict (id) do nothing;
insert into public.calendar_event_attendees (tenant_id, event_id, user_id) values
  ('10000000-0000-4000-8000-000000000001', 'e1000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002')
on conflict do nothing;
update public.appointments set customer_id = 'c1000000-0000-4000-8000-000000000001' where event_id = 'e1000000-0000-4000-8000-000000000001';
update public.appointments set customer_id = 'c2000000-0000-4000-8000-000000000001' where event_id = 'e2000000-0000-4000-8000-000000000001';

insert into public.tasks (id, tenant_id, title, description, status, assigned_to, created_by, customer_id, due_at) values
  ('71000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Call back Dora about her invoice', null, 'open',
   'a0000000-0000-4000-8000-000000000004', 'a0000000-0000-4000-8000-000000000002', 'c1000000-0000-4000-8000-000000000002', now() - interval '1 day'),
  ('71000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Prepare the monthly offer', 'For returning patients', 'in_progress',
   'a0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000002', null, now() + interval '3 days'),
  ('71000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'Fill in the medical history form', null, 'open',
   'a0000000-0000-4000-8000-000000000005', 'a0000000-0000-4000-8000-000000000003', 'c1000000-0000-4000-8000-000000000001', now() + interval '2 days'),
  ('72000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', 'Order a replacement valve', null, 'open',
   'b0000000-0000-4000-8000-000000000004', 'b0000000-0000-4000-8000-000000000002', null, now() + interval '1 day')
on conflict (id) do nothing;

insert into public.notes (id, tenant_id, author_id, title, body, department_id, shared_with_department, customer_id, shared_with_customer)
select x.id::uuid, x.tenant_id::uuid, x.author_id::uuid, x.title, x.body, d.id, x.shared_team, x.customer_id::uuid, x.shared_customer
from (values
  ('90000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000003',
   'Sales playbook', 'Offer the whitening package after check-ups.', 'sales', true, null, false),
  ('90000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000004',
   'Support escalation list', 'Dr. Weiss handles billing disputes.', 'support', true, null, false),
  ('90000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000003',
   'Your next visit', 'Please arrive ten minutes early.', null, false, 'c1000000-0000-4000-8000-000000000001', true)
) as x (id, tenant_id, author_id, title, body, department, shared_team, customer_id, shared_customer)
left join public.departments d on d.tenant_id = x.tenant_id::uuid and d.name = x.department
on conflict (id) do nothing;
