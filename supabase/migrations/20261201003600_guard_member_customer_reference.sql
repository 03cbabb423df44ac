-- A customer user may be bound only to a customer the caller can see, as tasks, notes and
-- appointments already are. Found while adding invitations to the attack matrix: a member given
-- members.manage but not customers.read_all (an employee, say) invited a second address of their
-- own as the customer user of a customer hidden from them, accepted, and read that customer's
-- portal (its shared notes, appointments and tasks); PATCH /v1/members/{userId} relinked an
-- existing customer user the same way. A hidden, missing or other tenant's customer is now the
-- same not_found, naming customerId. Accepting an invitation (as app_private, which sees every
-- customer) and SCIM (which links no customer) are unaffected.
create trigger invitations_customer_reference before insert on public.invitations
  for each row execute function private.guard_customer_reference();
create trigger memberships_customer_reference before insert or update of customer_id on public.memberships
  for each row execute function private.guard_customer_reference();
