-- userName lookups (an IdP's `filter=userName eq "…"`, and the uniqueness check of a create) on
-- an index under RLS. Measured on a 50,000-user tenant: `lower(user_name) = $1` ran as a
-- sequential scan (23 ms), because lower() is not leakproof, and Postgres does not let a
-- non-leakproof qual of the query run as an index condition ahead of the RLS policy's qual. A
-- stored lower-case copy compared with `=` (leakproof) is an index condition again. The
-- case-insensitive uniqueness moves to that column (the same rule, one index instead of two).
-- The unique indexes are named <table>_tenant_id_<column>_key, so a conflict names its field.
alter table public.scim_users add column user_name_key text generated always as (lower(user_name)) stored;
create unique index scim_users_tenant_id_user_name_key on public.scim_users (tenant_id, user_name_key);
drop index public.scim_users_tenant_user_name_key;
alter index public.scim_users_tenant_external_id_key rename to scim_users_tenant_id_external_id_key;
alter index public.scim_groups_tenant_display_name_key rename to scim_groups_tenant_id_display_name_key;
