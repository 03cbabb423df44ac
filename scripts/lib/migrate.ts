// Builds a database the way Supabase would see it: the local-only bootstrap (what a hosted
// project provides, run as the superuser), then every migration in order (recorded like the
// Supabase CLI does) and, if asked, the seed — both as `postgres`, which is not a superuser,
// exactly as `supabase db push` runs them on a hosted project.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";

const root = new URL("../../supabase/", import.meta.url).pathname;

export interface Server {
  /** The non-superuser `postgres` (project owner) role. */
  adminUrl: (database?: string) => string;
  superuserUrl: (database?: string) => string;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, "")}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The hosted roles (cluster-wide), the database (owned by postgres) and what Supabase puts in it. */
export async function prepareDatabase(server: Server, name: string): Promise<void> {
  const password = new URL(server.adminUrl()).password;
  await withClient(server.superuserUrl(), async (c) => {
    await c.query(await readFile(join(root, "bootstrap/roles.sql"), "utf8"));
    // Stored as MD5 because the local server asks clients for the plain password (initdb
    // --auth=password): checking that against a SCRAM verifier costs a PBKDF2 (4,096 rounds of
    // HMAC-SHA-256, ~5 ms) on every connection, against an MD5 one a single hash.
    await c.query("set password_encryption = 'md5'");
    await c.query(`alter role postgres with login password ${literal(password)}`);
  });
  await withClient(server.adminUrl(), async (c) => {
    const exists = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (!exists.rowCount) await c.query(`create database ${ident(name)}`);
  });
  await withClient(server.superuserUrl(name), async (c) => {
    await c.query(await readFile(join(root, "bootstrap/local.sql"), "utf8"));
  });
}

/** Drops a database, disconnecting its sessions (which needs the superuser). */
export async function dropDatabase(server: Server, name: string): Promise<void> {
  await withClient(server.superuserUrl(), (c) => c.query(`drop database if exists ${ident(name)} with (force)`));
}

export async function migrationFiles(): Promise<string[]> {
  return (await readdir(join(root, "migrations"))).filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

export async function migrate(
  databaseUrl: string,
  options: { seed: boolean; apiPassword?: string; log?: (msg: string) => void },
): Promise<void> {
  const log = options.log ?? (() => undefined);
  const client = new pg.Client({ connectionString: databaseUrl });
  // A GRANT its role may not give is only a warning in Postgres; a migration must not pass with
  // one on our own objects. On Supabase's schemas (auth) postgres holds no grant options, so hosted
  // projects give the same warning there and apply the migration anyway.
  const refused: string[] = [];
  client.on("notice", (n) => {
    const message = n.message ?? "";
    if (!/privileges (were|could be) (granted|revoked)/.test(message)) return;
    if (/for "auth"$/.test(message)) log(`warning (as on hosted Supabase): ${message}`);
    else refused.push(message);
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolsuper: boolean }>("select rolsuper from pg_roles where rolname = current_user");
    if (rows[0]?.rolsuper) throw new Error("migrations must run as the non-superuser postgres role, as on hosted Supabase");
    await client.query(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key, name text, applied_at timestamptz default now());`);
    const applied = new Set((await client.query("select version from supabase_migrations.schema_migrations")).rows.map((r) => r.version));
    for (const file of await migrationFiles()) {
      const version = file.slice(0, 14);
      if (applied.has(version)) continue;
      const sql = await readFile(join(root, "migrations", file), "utf8");
      await client.query("begin");
      try {
        await client.query(sql);
        if (refused.length) throw new Error(refused.splice(0).join("; "));
        await client.query("insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)", [version, file]);
        await client.query("commit");
        log(`applied ${file}`);
      } catch (e) {
        await client.query("rollback");
        throw new Error(`migration ${file} failed: ${(e as Error).message}`, { cause: e });
      }
    }
    if (options.seed) {
      await client.query(await readFile(join(root, "seed.sql"), "utf8"));
      log("applied seed.sql");
    }
    // Local only: let the API role log in. In production this is done once, at deploy (README).
    if (options.apiPassword) {
      await client.query("set password_encryption = 'md5'"); // see prepareDatabase
      await client.query(`alter role office_api with login password ${literal(options.apiPassword)}`);
    }
  } finally {
    await client.end();
  }
}

/** The URL the Worker (through Hyperdrive) uses: the unprivileged API role, never the owner. */
export function apiUrl(adminUrl: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = "office_api";
  url.password = password;
  return url.toString();
}
