-- Helpers for the SQL policy tests. The runner (tests/node/sql-policies.test.ts) installs these,
-- then runs each test file in its own transaction as the superuser and rolls it back. A test sets
-- up rows, becomes a person with tests.act_as(), and asserts with tests.check().
create schema if not exists tests;

create or replace function tests.act_as(p_user uuid, p_tenant uuid) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims',
    json_build_object('sub', p_user, 'role', 'authenticated', 'tenant_id', p_tenant)::text, true);
  perform set_config('role', 'authenticated', true);
end $$;

create or replace function tests.act_as_owner() returns void language plpgsql as $$
begin
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', '', true);
end $$;

create or replace function tests.check(ok boolean, what text) returns void language plpgsql as $$
begin
  if ok is distinct from true then
    raise exception 'FAILED: %', what;
  end if;
end $$;

-- Two tenants with an owner, an admin, an employee and a customer each; a person in both.
create or replace function tests.two_tenants() returns void language plpgsql as $$
begin
  insert into auth.users (id, email) values
    ('00000000-0000-4000-a000-0000000000a1', 'owner@a.test'), ('00000000-0000-4000-a000-0000000000a2', 'admin@a.test'),
    ('00000000-0000-4000-a000-0000000000a3', 'employee@a.test'), ('00000000-0000-4000-a000-0000000000a4', 'customer@a.test'),
    ('00000000-0000-4000-a000-0000000000b1', 'owner@b.test'), ('00000000-0000-4000-a000-0000000000b3', 'employee@b.test'),
    ('00000000-0000-4000-a000-0000000000c1', 'both@ab.test');
  insert into public.tenants (id, slug, name) values
    ('00000000-0000-4000-a000-00000000000a', 'sql-test-a', 'A'), ('00000000-0000-4000-a000-00000000000b', 'sql-test-b', 'B');
  -- Departments: A sales ...0da1, A support ...0da2, B support ...0db2.
  insert into public.departments (id, tenant_id, name) values
    ('00000000-0000-4000-a000-000000000da1', '00000000-0000-4000-a000-00000000000a', 'sales'),
    ('00000000-0000-4000-a000-000000000da2', '00000000-0000-4000-a000-00000000000a', 'support'),
    ('00000000-0000-4000-a000-000000000db2', '00000000-0000-4000-a000-00000000000b', 'support');
  insert into public.memberships (tenant_id, user_id, role, department_id) values
    ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a1', 'owner', null),
    ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a2', 'admin', null),
    ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a3', 'employee', '00000000-0000-4000-a000-000000000da1'),
    ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000a4', 'customer', null),
    ('00000000-0000-4000-a000-00000000000a', '00000000-0000-4000-a000-0000000000c1', 'employee', '00000000-0000-4000-a000-000000000da1'),
    ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000b1', 'owner', null),
    ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000b3', 'employee', '00000000-0000-4000-a000-000000000db2'),
    ('00000000-0000-4000-a000-00000000000b', '00000000-0000-4000-a000-0000000000c1', 'manager', '00000000-0000-4000-a000-000000000db2');
end $$;

-- Asserts that a statement is refused (RLS, privilege or a guard), without aborting the test.
create or replace function tests.refused(p_sql text, what text) returns void language plpgsql as $$
begin
  execute p_sql;
  raise exception 'FAILED (not refused): %', what;
exception
  when raise_exception then
    if sqlerrm like 'FAILED%' then raise; end if;
  when others then
    null;
end $$;

create or replace function tests.count(p_sql text) returns bigint language plpgsql as $$
declare n bigint;
begin
  execute format('select count(*) from (%s) q', p_sql) into n;
  return n;
end $$;

-- The helpers are called after act_as() switched to `authenticated`.
grant usage on schema tests to authenticated;
grant execute on all functions in schema tests to authenticated;
