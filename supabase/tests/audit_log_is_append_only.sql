-- Mutations leave an audit row; nobody (not even the owner) can write, rewrite or delete one.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
update public.memberships set department_id = '00000000-0000-4000-a000-000000000da2' where tenant_id = '00000000-0000-4000-a000-00000000000a' and user_id = '00000000-0000-4000-a000-0000000000a3';
select tests.check(tests.count('select 1 from public.audit_log where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and action = ''memberships.update'' and actor_id = ''00000000-0000-4000-a000-0000000000a1''') = 1, 'the change was audited with its actor');
select tests.refused('insert into public.audit_log (tenant_id, action, resource_type) values (''00000000-0000-4000-a000-00000000000a'', ''forged'', ''x'')', 'insert a forged row');
select tests.refused('update public.audit_log set action = ''rewritten'' where tenant_id = ''00000000-0000-4000-a000-00000000000a''', 'rewrite history');
select tests.refused('delete from public.audit_log where tenant_id = ''00000000-0000-4000-a000-00000000000a''', 'delete history');
select tests.check(tests.count('select 1 from public.audit_log where tenant_id = ''00000000-0000-4000-a000-00000000000a'' and action = ''rewritten''') = 0, 'nothing rewritten');
select tests.check(tests.count('select 1 from public.audit_log where tenant_id = ''00000000-0000-4000-a000-00000000000a''') >= 1, 'nothing deleted');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.audit_log') = 0, 'an employee reads no audit log');
