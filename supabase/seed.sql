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

insert into public.memberships (tenant_id, user_id, role, department, email, display_name)
select x.tenant_id::uuid, x.user_id::uuid, x.role::public.member_role, x.department, u.email,
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
