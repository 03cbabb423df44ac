-- audit_log.id is an identity column; its sequence was created with Supabase's default
-- privileges (ALL to anon and authenticated), so anyone could setval() it and make ids collide
-- or leap. Identity values need no privilege on the sequence (INSERT on the table suffices),
-- so nobody but its owner needs any.
revoke all on sequence public.audit_log_id_seq from anon, authenticated, service_role;
