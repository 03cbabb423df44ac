-- Idempotency records belong to the person and tenant that made them.
select tests.two_tenants();
select tests.act_as('00000000-0000-4000-a000-0000000000a1', '00000000-0000-4000-a000-00000000000a');
select private.idempotency_claim('tenant', 'key-1', 'hash-1');
select private.idempotency_store('tenant', 'key-1', 201, '{"ok":true}');
select tests.act_as('00000000-0000-4000-a000-0000000000a3', '00000000-0000-4000-a000-00000000000a');
select tests.check(tests.count('select 1 from public.idempotency_keys') = 0, 'a colleague sees no record');
select tests.refused('select private.idempotency_claim(''tenant'', ''key-1'', ''hash-1'')', 'a colleague cannot replay it');
select tests.act_as('00000000-0000-4000-a000-0000000000b1', '00000000-0000-4000-a000-00000000000b');
select private.idempotency_claim('tenant', 'key-1', 'hash-1');
select tests.check(tests.count('select 1 from public.idempotency_keys') = 1, 'another tenant has its own key space');
