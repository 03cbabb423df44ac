// "One door": the Data API exposes no app table (supabase/config.toml), and underneath, privileges
// are exactly what the migrations grant. Hosted Supabase's default privileges grant ALL on every
// new table, sequence and function in public to anon and authenticated; a migration that forgets
// to revoke leaves that ALL behind, widening its own column grants. So:
// - anon holds no privilege (directly or through PUBLIC) on any app table, column, sequence or
//   function (schemas public and private);
// - authenticated holds exactly the privileges it holds in a reference database built from the
//   same migrations with those default privileges switched off, i.e. exactly what was granted.
// A scratch migration that creates a table and grants nothing proves the check can fail.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dropDatabase, migrate, prepareDatabase, type Server } from "../../scripts/lib/migrate.ts";

const REFERENCE_DB = `privileges_reference_${process.pid}`;
const APP_SCHEMAS = "('public', 'private')";

const atDb = (url: string) => (database = "postgres") => url.replace(/\/[^/?]*(\?.*)?$/, `/${database}`);
const server: Server = { adminUrl: atDb(inject("adminUrl")), superuserUrl: atDb(inject("superuserUrl")) };

/** What anon may do in the app schemas, counting grants to PUBLIC and through role membership. */
const ANON_REACH = `
  select 'relation ' || n.nspname || '.' || c.relname as what from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname in ${APP_SCHEMAS} and c.relkind in ('r', 'p', 'v', 'm', 'f')
    and (has_table_privilege('anon', c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')
         or has_any_column_privilege('anon', c.oid, 'SELECT,INSERT,UPDATE,REFERENCES'))
  union all
  select 'sequence ' || n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname in ${APP_SCHEMAS} and c.relkind = 'S'
    -- (a CASE, so the planner never asks a table about sequence privileges)
    and case when c.relkind = 'S' then has_sequence_privilege('anon', c.oid, 'USAGE,SELECT,UPDATE') else false end
  union all
  select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ${APP_SCHEMAS} and has_function_privilege('anon', p.oid, 'EXECUTE')
  order by 1`;

/** Every privilege granted to authenticated itself, on app tables, columns, sequences and functions. */
const AUTHENTICATED_GRANTS = `
  select n.nspname || '.' || c.relname || ': ' || a.privilege_type as what
  from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(c.relacl) a
  where n.nspname in ${APP_SCHEMAS} and a.grantee = 'authenticated'::regrole
  union all
  select n.nspname || '.' || c.relname || '.' || att.attname || ': ' || a.privilege_type
  from pg_attribute att join pg_class c on c.oid = att.attrelid join pg_namespace n on n.oid = c.relnamespace,
       aclexplode(att.attacl) a
  where n.nspname in ${APP_SCHEMAS} and a.grantee = 'authenticated'::regrole
  union all
  select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || '): ' || a.privilege_type
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
  where n.nspname in ${APP_SCHEMAS} and a.grantee = 'authenticated'::regrole
  order by 1`;

/** A table made the way a careless migration would: RLS and policies, but no revoke or grant. */
const SCRATCH_MIGRATION = `
  create table public.scratch_ungated (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null references public.tenants (id) on delete cascade
  );
  alter table public.scratch_ungated enable row level security;
  alter table public.scratch_ungated force row level security;
  create policy scratch_all on public.scratch_ungated for all to authenticated using (false);`;

let real: pg.Client;
let reference: pg.Client;

beforeAll(async () => {
  await dropDatabase(server, REFERENCE_DB);
  await prepareDatabase(server, REFERENCE_DB);
  const admin = new pg.Client({ connectionString: server.superuserUrl(REFERENCE_DB) });
  await admin.connect();
  for (const owner of ["postgres", "supabase_admin"]) {
    for (const kind of ["tables", "sequences", "functions"]) {
      await admin.query(`alter default privileges for role ${owner} in schema public revoke all on ${kind} from anon, authenticated, service_role`);
    }
  }
  await admin.end();
  await migrate(server.adminUrl(REFERENCE_DB), { seed: false });
  real = new pg.Client({ connectionString: inject("adminUrl") });
  reference = new pg.Client({ connectionString: server.adminUrl(REFERENCE_DB) });
  await Promise.all([real.connect(), reference.connect()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([real?.end(), reference?.end()]);
  await dropDatabase(server, REFERENCE_DB);
});

const list = async (client: pg.Client, sql: string) => (await client.query<{ what: string }>(sql)).rows.map((r) => r.what);

async function findings(): Promise<string[]> {
  const [anon, granted, expected] = await Promise.all([list(real, ANON_REACH), list(real, AUTHENTICATED_GRANTS), list(reference, AUTHENTICATED_GRANTS)]);
  const want = new Set(expected);
  const have = new Set(granted);
  return [
    ...anon.map((what) => `anon can reach ${what}`),
    ...granted.filter((g) => !want.has(g)).map((g) => `authenticated holds ${g}, which no migration granted (a default privilege left behind)`),
    ...expected.filter((g) => !have.has(g)).map((g) => `authenticated lacks ${g}, which its migration grants`),
  ];
}

/** Runs fn with the scratch migration applied to both databases, then rolls it back. */
async function withScratchMigration<T>(fn: () => Promise<T>): Promise<T> {
  await Promise.all([real.query("begin"), reference.query("begin")]);
  try {
    await Promise.all([real.query(SCRATCH_MIGRATION), reference.query(SCRATCH_MIGRATION)]);
    return await fn();
  } finally {
    await Promise.all([real.query("rollback"), reference.query("rollback")]);
  }
}

describe("privileges: one door, and nothing granted by accident", () => {
  it("builds the reference from the same migrations (guards against comparing two empty lists)", async () => {
    const expected = await list(reference, AUTHENTICATED_GRANTS);
    expect(expected).toEqual(expect.arrayContaining(["public.tasks: SELECT", "public.memberships.role: UPDATE"]));
  });

  it("gives anon nothing, and authenticated exactly what the migrations grant", async () => {
    expect(await findings()).toEqual([]);
  });

  it("fails on a table whose migration grants nothing (a scratch migration, rolled back)", async () => {
    const found = await withScratchMigration(findings);
    expect(found).toEqual(
      expect.arrayContaining([
        "anon can reach relation public.scratch_ungated",
        "authenticated holds public.scratch_ungated: SELECT, which no migration granted (a default privilege left behind)",
        "authenticated holds public.scratch_ungated: DELETE, which no migration granted (a default privilege left behind)",
      ]),
    );
  });
});
