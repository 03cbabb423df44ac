-- The last active owner can be neither demoted, deactivated nor removed.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select tests.refused('update public.memberships set role = ''admin'' where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and user_id = ''00000000-0000-4000-a000-0000000000a1''', 'demote the last owner');
select tests.refused('update public.memberships set active = false where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and user_id = ''00000000-0000-4000-a000-0000000000a1''', 'deactivate the last owner');
select tests.refused('delete from public.memberships where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and user_id = ''00000000-0000-4000-a000-0000000000a1''', 'remove the last owner');
