-- task.overdue (hardening of issue 13): a task whose due date passed while it was open. Its own
-- migration: a new enum value can be used only after the transaction that adds it committed.
alter type public.domain_event_type add value if not exists 'task.overdue' after 'task.completed';
