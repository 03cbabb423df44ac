-- The business's customers. Employees read those assigned to them or in their department (or
-- all, with customers.read_all); managers and admins write. A customer user (a membership with
-- role customer) is linked to exactly one customer record, which the portal shows them.

create table public.customers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  email text check (char_length(email) <= 320),
  phone text check (char_length(phone) <= 50),
  department_id uuid,
  assigned_to uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, department_id) references public.departments (tenant_id, id) on delete set null (department_id),
  foreign key (tenant_id, assigned_to) references public.memberships (tenant_id, user_id) on delete set null (assigned_to)
);
create index customers_tenant_name_idx on public.customers (tenant_id, lower(name), id);
create index customers_tenant_email_idx on public.customers (tenant_id, lower(email));
create index customers_tenant_assigned_idx on public.customers (tenant_id, assigned_to);
create index customers_tenant_department_idx on public.customers (tenant_id, department_id);
create trigger customers_touch before update on public.customers for each row execute function private.touch_updated_at();

alter table public.memberships add column customer_id uuid;
alter table public.memberships add constraint memberships_customer_fk
  foreign key (tenant_id, customer_id) references public.customers (tenant_id, id) on delete set null (customer_id);
alter table public.memberships add constraint memberships_customer_only_for_customers
  check (customer_id is null or role = 'customer');
create unique index memberships_tenant_customer_idx on public.memberships (tenant_id, customer_id) where customer_id is not null;
grant update (customer_id) on public.memberships to authenticated;
grant insert (customer_id) on public.memberships to authenticated;

-- The customer record the calling customer user is linked to (null for staff).
create function private.current_customer_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select m.customer_id from public.memberships m
  where m.tenant_id = private.current_tenant() and m.user_id = private.current_user_id() and m.role = 'customer'
$$;
alter function private.current_customer_id() owner to app_private;
revoke all on function private.current_customer_id() from public;
grant execute on function private.current_customer_id() to authenticated, app_private;

alter table public.customers enable row level security;
alter table public.customers force row level security;
revoke all on public.customers from anon, authenticated;
grant select, delete on public.customers to authenticated;
grant insert (tenant_id, name, email, phone, department_id, assigned_to) on public.customers to authenticated;
grant update (name, email, phone, department_id, assigned_to) on public.customers to authenticated;
grant select on public.customers to app_private;

create policy customers_select_assigned_team_or_all on public.customers for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (
    (select private.has_permission('customers.read_all'))
    or ((select private.has_permission('customers.read_assigned'))
        and (assigned_to = (select private.current_user_id()) or department_id = (select private.current_department())))
    or id = (select private.current_customer_id())
  ));
create policy customers_insert_writer on public.customers for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('customers.write')));
create policy customers_update_writer on public.customers for update to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('customers.write')))
  with check (tenant_id = (select private.current_tenant()) and (select private.has_permission('customers.write')));
create policy customers_delete_deleter on public.customers for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and (select private.has_permission('customers.delete')));
create policy customers_select_app_private on public.customers for select to app_private using (true);

create trigger customers_audit after insert or update or delete on public.customers
  for each row execute function private.audit_row('tenant_id', 'id');
