// Builds a database the way Supabase would see it: the local-only bootstrap (what Supabase
// provides), then every migration in order (recorded like the Supabase CLI does), then, if asked,
// the seed. Runs as the superuser: this and the test harness are the only owner connections.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";

const root = new URL("../../supabase/", import.meta.url).pathname;

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!exists.rowCount) await client.query(`create database "${name.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, "")}" with (force)`);
  } finally {
    await client.end();
  }
}

export async function migrationFiles(): Promise<string[]> {
  return (await readdir(join(root, "migrations"))).filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

export async function migrate(
  databaseUrl: string,
  options: { seed: boolean; apiPassword: string; log?: (msg: string) => void },
): Promise<void> {
  const log = options.log ?? (() => undefined);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(await readFile(join(root, "bootstrap/local.sql"), "utf8"));
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
    // Local only: let the API role log in. In production this is done once, out of band.
    await client.query(`alter role office_api with login password '${options.apiPassword.replace(/'/g, "''")}'`);
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
