// A SCIM directory for `npm run bench`: `users` people provisioned into one tenant (as an IdP
// would have: an Auth user, a membership and a scim_users row each) and a set of SCIM tokens, so
// GET /scim/v2/Users can be measured on a 50,000-person directory. Each token has its own
// 600-a-minute window, so requests spread over the tokens never meet the limit. Written through
// the admin (owner) connection; the per-row sync and audit triggers are switched off for the bulk
// insert (the memberships are written directly, with the role the sync would give: employee) and
// on again in the same transaction.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";

export const SCIM_USERS = 50_000;
const TOKENS = 64;

export interface ScimDirectory {
  tokens: string[];
  /** A userName in the middle of the directory, for the filter. */
  userName: string;
  users: number;
}

export async function seedScimDirectory(adminUrl: string, tenantId: string, users = SCIM_USERS): Promise<ScimDirectory> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const tokens = Array.from({ length: TOKENS }, () => `scim_${randomBytes(32).toString("base64url")}`);
  try {
    await client.query("begin");
    await client.query("alter table public.scim_users disable trigger scim_users_sync, disable trigger scim_users_audit");
    await client.query("alter table public.memberships disable trigger memberships_audit");
    await client.query(
      `with people as (
         insert into auth.users (id, email)
         select gen_random_uuid(), 'person' || i || '@directory.bench.test' from generate_series(1, $2::int) i
         returning id, email
       ), members as (
         insert into public.memberships (tenant_id, user_id, role, email, display_name)
         select $1::uuid, id, 'employee', email, initcap(split_part(email, '@', 1)) from people
         returning user_id, email, display_name
       )
       insert into public.scim_users (tenant_id, user_id, user_name, external_id, active, display_name, email, attributes, created_at)
       select $1::uuid, user_id, email, 'ext-' || split_part(email, '@', 1), true, display_name, email,
              jsonb_build_object('emails', jsonb_build_array(jsonb_build_object('value', email, 'type', 'work', 'primary', true)),
                                 'name', jsonb_build_object('givenName', display_name, 'familyName', 'Bench')),
              now() - make_interval(secs => (regexp_replace(email, '\\D', '', 'g'))::int)
       from members`,
      [tenantId, users],
    );
    await client.query("set constraints all immediate"); // the deferred membership check, before the ALTERs
    await client.query("alter table public.scim_users enable trigger scim_users_sync, enable trigger scim_users_audit");
    await client.query("alter table public.memberships enable trigger memberships_audit");
    await client.query(
      // A token works only while its creator is an active owner or admin: the tenant's owner makes them.
      `insert into public.scim_tokens (tenant_id, name, token_hash, created_by)
       select $1::uuid, 'bench ' || i, h,
              (select m.user_id from public.memberships m where m.tenant_id = $1::uuid and m.role = 'owner' and m.active order by m.created_at limit 1)
       from unnest($2::bytea[]) with ordinality as t (h, i)`,
      [tenantId, tokens.map((t) => createHash("sha256").update(t).digest())],
    );
    await client.query("commit");
    await client.query("analyze public.scim_users");
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
  return { tokens, userName: `person${Math.ceil(users / 2)}@directory.bench.test`, users };
}
