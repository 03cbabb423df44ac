-- Notes: written and edited by their author; readable by the author's department when shared
-- with it (notes.read_team), and by a customer when addressed to them. Delete is soft and
-- hides the note everywhere.

create table public.notes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  author_id uuid not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  body text not null default '' check (char_length(body) <= 20000),
  department_id uuid,
  shared_with_department boolean not null default false,
  customer_id uuid,
  shared_with_customer boolean not null default false,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, author_id) references public.memberships (tenant_id, user_id),
  foreign key (tenant_id, department_id) references public.departments (tenant_id, id) on delete set null (department_id),
  foreign key (tenant_id, customer_id) references public.customers (tenant_id, id) on delete set null (customer_id)
);
-- Not partial on deleted_at: the select policy also admits a note its own transaction just
-- soft-deleted (see below).
create index notes_tenant_created_idx on public.notes (tenant_id, created_at, id);
create index notes_tenant_author_idx on public.notes (tenant_id, author_id);
create index notes_tenant_department_idx on public.notes (tenant_id, department_id) where shared_with_department;
create index notes_tenant_customer_idx on public.notes (tenant_id, customer_id) where shared_with_customer;
create trigger notes_touch before update on public.notes for each row execute function private.touch_updated_at();
-- A note may name only a customer its author can see (see private.guard_customer_reference).
create trigger notes_customer_reference before insert or update of customer_id on public.notes
  for each row execute function private.guard_customer_reference();

alter table public.notes enable row level security;
alter table public.notes force row level security;
revoke all on public.notes from anon, authenticated;
grant select on public.notes to authenticated;
grant insert (id, tenant_id, author_id, title, body, department_id, shared_with_department, customer_id, shared_with_customer) on public.notes to authenticated;
grant update (title, body, department_id, shared_with_department, customer_id, shared_with_customer, deleted_at) on public.notes to authenticated;

-- Soft-deleted notes are hidden, except from the author's deleting transaction (an UPDATE whose
-- WHERE reads columns must leave a row this policy passes; see the tasks policy).
create policy notes_select_own_team_or_customer on public.notes for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (deleted_at is null or (deleted_at = now() and author_id = (select private.current_user_id())))
    and (
    author_id = (select private.current_user_id())
    or (shared_with_department and department_id = (select private.current_department())
        and (select private.has_permission('notes.read_team')))
    or (shared_with_customer and customer_id = (select private.current_customer_id()))
  ));
create policy notes_insert_own on public.notes for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and author_id = (select private.current_user_id())
    and (select private.has_permission('notes.write_own'))
    and (not shared_with_department or department_id = (select private.current_department())));
-- The author edits and soft-deletes; the check is on tenant and author so a soft delete passes.
create policy notes_update_author on public.notes for update to authenticated
  using (tenant_id = (select private.current_tenant()) and deleted_at is null
    and author_id = (select private.current_user_id()) and (select private.has_permission('notes.write_own')))
  with check (tenant_id = (select private.current_tenant()) and author_id = (select private.current_user_id())
    and (not shared_with_department or department_id = (select private.current_department())));
create policy notes_delete_never on public.notes for delete to authenticated using (false);

create trigger notes_audit after insert or update or delete on public.notes
  for each row execute function private.audit_row('tenant_id', 'id');
