-- An appointment may name only a customer the caller can see, as tasks and notes already do:
-- linking a hidden customer confirmed that its id exists and put the appointment in that
-- customer's portal. A hidden, missing or other tenant's customer is the same not_found.
create trigger appointments_customer_reference before insert or update of customer_id on public.appointments
  for each row execute function private.guard_customer_reference();
