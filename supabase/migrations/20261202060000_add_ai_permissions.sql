-- Permissions for AI workers (issue 14): reading workers, their lifecycle and runs; provisioning
-- and managing them and the execution policy; and deciding approval requests. Owners and admins
-- get every staff permission by construction (role_permissions() reads the enum); managers get
-- ai.read in the next migration. A new enum value cannot be used in the transaction that adds it.
alter type public.app_permission add value if not exists 'ai.read';
alter type public.app_permission add value if not exists 'ai.manage';
alter type public.app_permission add value if not exists 'ai.approve';
