-- Tasks, their comments and time logs. Employees see and work the tasks assigned to them (or
-- that they created); tasks.read_all sees all. Nobody deletes a task; tasks.delete (admins)
-- soft-deletes it, which hides it everywhere.

create type public.task_status as enum ('open', 'in_progress', 'blocked', 'done', 'cancelled');

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text check (char_length(description) <= 10000),
  status public.task_status not null default 'open',
  assigned_to uuid,
  created_by uuid not null,
  customer_id uuid,
  due_at timestamptz,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, assigned_to) references public.memberships (tenant_id, user_id),
  foreign key (tenant_id, created_by) references public.memberships (tenant_id, user_id),
  foreign key (tenant_id, customer_id) references public.customers (tenant_id, id) on delete set null (customer_id)
);
-- Not partial on deleted_at: the select policy also admits a row its own transaction just
-- soft-deleted (see below), so `deleted_at is null` is not implied by every read.
create index tasks_tenant_created_idx on public.tasks (tenant_id, created_at, id);
create index tasks_tenant_assignee_idx on public.tasks (tenant_id, assigned_to, status);
create index tasks_tenant_due_idx on public.tasks (tenant_id, due_at);
create trigger tasks_touch before update on public.tasks for each row execute function private.touch_updated_at();

create table public.task_comments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  task_id uuid not null,
  author_id uuid not null,
  body text not null check (char_length(btrim(body)) between 1 and 10000),
  created_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, task_id) references public.tasks (tenant_id, id) on delete cascade,
  foreign key (tenant_id, author_id) references public.memberships (tenant_id, user_id)
);
create index task_comments_tenant_task_idx on public.task_comments (tenant_id, task_id, created_at, id);

create table public.time_logs (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  task_id uuid not null,
  user_id uuid not null,
  minutes int not null check (minutes between 1 and 1440),
  note text check (char_length(note) <= 2000),
  logged_on date not null default current_date,
  created_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, task_id) references public.tasks (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references public.memberships (tenant_id, user_id)
);
create index time_logs_tenant_task_idx on public.time_logs (tenant_id, task_id, logged_on);

-- Field-level rules a policy cannot express: without tasks.manage only the status changes, and
-- only tasks.delete may soft-delete (or undo it). A soft delete is stamped with the transaction's
-- time and the actor, which is what lets the select policy show it to that transaction only.
create function private.guard_task_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.current_user_id() is null then
    return new; -- migrations, seeds and jobs
  end if;
  if (new.deleted_at is distinct from old.deleted_at) then
    if not private.has_permission('tasks.delete') then
      raise exception 'only admins delete tasks' using errcode = 'AO403';
    end if;
    new.deleted_at := case when new.deleted_at is null then null else now() end;
    new.deleted_by := case when new.deleted_at is null then null else private.current_user_id() end;
  end if;
  if not private.has_permission('tasks.manage')
     and (new.title, new.description, new.assigned_to, new.customer_id, new.due_at, new.created_by)
         is distinct from (old.title, old.description, old.assigned_to, old.customer_id, old.due_at, old.created_by) then
    raise exception 'an assignee may change only the status' using errcode = 'AO403';
  end if;
  return new;
end $$;
create trigger tasks_guard before update on public.tasks for each row execute function private.guard_task_change();
revoke all on function private.guard_task_change() from public;

-- A row may name only a customer the caller can see (RLS on customers decides): a reference to
-- another tenant's, a missing or a hidden customer is the same `not_found`. Invoker rights on
-- purpose, so the lookup is filtered exactly as the caller's own reads are. Used by notes too.
create function private.guard_customer_reference() returns trigger
language plpgsql set search_path = '' as $$
begin
  if private.current_user_id() is null or new.customer_id is null
     or (tg_op = 'UPDATE' and new.customer_id is not distinct from old.customer_id) then
    return new;
  end if;
  if not exists (select 1 from public.customers c where c.tenant_id = new.tenant_id and c.id = new.customer_id) then
    raise exception 'not_found' using errcode = 'AO404';
  end if;
  return new;
end $$;
revoke all on function private.guard_customer_reference() from public;
create trigger tasks_customer_reference before insert or update of customer_id on public.tasks
  for each row execute function private.guard_customer_reference();

alter table public.tasks enable row level security;
alter table public.tasks force row level security;
alter table public.task_comments enable row level security;
alter table public.task_comments force row level security;
alter table public.time_logs enable row level security;
alter table public.time_logs force row level security;
revoke all on public.tasks, public.task_comments, public.time_logs from anon, authenticated;
grant select on public.tasks to authenticated;
grant insert (id, tenant_id, title, description, status, assigned_to, created_by, customer_id, due_at) on public.tasks to authenticated;
grant update (title, description, status, assigned_to, customer_id, due_at, deleted_at) on public.tasks to authenticated;
grant select, insert on public.task_comments to authenticated;
grant update (body) on public.task_comments to authenticated;
grant select, insert, delete on public.time_logs to authenticated;
grant update (minutes, note, logged_on) on public.time_logs to authenticated;
grant select on public.tasks to app_private;

-- Soft-deleted rows are hidden, except from the transaction that deleted them: an UPDATE whose
-- WHERE reads columns must leave rows this policy still passes (Postgres checks the new row
-- against it), so the deleting statement sees its own row once, and nobody sees it afterwards.
create policy tasks_select_assigned_created_or_all on public.tasks for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and (deleted_at is null or (deleted_at = now() and deleted_by = (select private.current_user_id())))
    and (
    assigned_to = (select private.current_user_id())
    or created_by = (select private.current_user_id())
    or (select private.has_permission('tasks.read_all'))
  ));
create policy tasks_insert_manager_or_self on public.tasks for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and created_by = (select private.current_user_id()) and (
    (select private.has_permission('tasks.manage'))
    or ((select private.has_permission('tasks.write_assigned')) and assigned_to = (select private.current_user_id()))
  ));
-- A soft delete must pass the check, so it is on tenant only; the guard trigger holds the rest.
create policy tasks_update_assignee_or_manager on public.tasks for update to authenticated
  using (tenant_id = (select private.current_tenant()) and deleted_at is null and (
    (select private.has_permission('tasks.manage')) or (select private.has_permission('tasks.delete'))
    or ((select private.has_permission('tasks.write_assigned'))
        and (assigned_to = (select private.current_user_id()) or created_by = (select private.current_user_id())))
  ))
  with check (tenant_id = (select private.current_tenant()));
create policy tasks_delete_never on public.tasks for delete to authenticated using (false);
create policy tasks_select_app_private on public.tasks for select to app_private using (true);

-- Comments and time logs follow the task: visible when the task is (the subquery is itself
-- filtered by the tasks policy).
create policy task_comments_select_visible_task on public.task_comments for select to authenticated
  using (tenant_id = (select private.current_tenant())
    and exists (select 1 from public.tasks t where t.tenant_id = task_comments.tenant_id and t.id = task_comments.task_id));
create policy task_comments_insert_on_visible_task on public.task_comments for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and author_id = (select private.current_user_id())
    and ((select private.has_permission('tasks.write_assigned')) or (select private.has_permission('tasks.manage')))
    and exists (select 1 from public.tasks t where t.tenant_id = task_comments.tenant_id and t.id = task_comments.task_id));
create policy task_comments_update_author on public.task_comments for update to authenticated
  using (tenant_id = (select private.current_tenant()) and author_id = (select private.current_user_id()))
  with check (tenant_id = (select private.current_tenant()) and author_id = (select private.current_user_id()));
create policy task_comments_delete_never on public.task_comments for delete to authenticated using (false);

create policy time_logs_select_own_or_all on public.time_logs for select to authenticated
  using (tenant_id = (select private.current_tenant()) and (
    user_id = (select private.current_user_id()) or (select private.has_permission('tasks.read_all'))));
create policy time_logs_insert_own_on_visible_task on public.time_logs for insert to authenticated
  with check (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id())
    and (select private.has_permission('time.create'))
    and exists (select 1 from public.tasks t where t.tenant_id = time_logs.tenant_id and t.id = time_logs.task_id));
create policy time_logs_update_own on public.time_logs for update to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()))
  with check (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));
create policy time_logs_delete_own on public.time_logs for delete to authenticated
  using (tenant_id = (select private.current_tenant()) and user_id = (select private.current_user_id()));

create trigger tasks_audit after insert or update or delete on public.tasks
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger task_comments_audit after insert or update on public.task_comments
  for each row execute function private.audit_row('tenant_id', 'id');
create trigger time_logs_audit after insert or update or delete on public.time_logs
  for each row execute function private.audit_row('tenant_id', 'id');
