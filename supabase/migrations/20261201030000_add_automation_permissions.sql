-- Permissions for automation (issue 13): reading workflows, executions, reminders and webhook
-- delivery logs; managing workflows, rules, reminder offsets and the built-in templates; and
-- managing outbound webhook endpoints (which hold signing secrets and send tenant data out).
-- Owners and admins get every staff permission by construction (role_permissions() reads the
-- enum); managers get automation.read in the next migration. A new enum value cannot be used in
-- the transaction that adds it, hence two files.
alter type public.app_permission add value if not exists 'automation.read';
alter type public.app_permission add value if not exists 'automation.manage';
alter type public.app_permission add value if not exists 'webhooks.manage';
