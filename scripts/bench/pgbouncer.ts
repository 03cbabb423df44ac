// Debian's `pgbouncer` in transaction mode in front of the bench's Postgres: the local stand-in
// for Hyperdrive's pool, so throughput is measured with server connections reused as in
// production (a Worker still opens a client connection per request; the pooler answers its
// start-up without forking a Postgres backend).
//
// Settings that matter (see /work/shared/NOTES.md): `pool_mode = transaction` (pg's pipelined
// unnamed statements and `set_config(…, true)` are transaction-scoped, so they are safe);
// `auth_type = plain` with a userlist holding the roles' passwords (the local server asks for
// cleartext too, so start-up has the same shape pooled and direct); `ignore_startup_parameters
// = extra_float_digits` (pg sends it); a pool of 10 server connections for c=8, and room for
// the client connections the Worker opens and closes per request. As root it runs as the
// `postgres` system user (pgbouncer refuses root), with its files owned by that user.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../lib/ports.ts";
import { serverUser } from "../lib/postgres/server-user.ts";
import { sleep, spawnManaged } from "./processes.ts";

export interface Pgbouncer {
  port: number;
  pid: number;
  version: string;
  settings: Record<string, string | number>;
  stop(): Promise<void>;
}

/**
 * The pgbouncer binary, or undefined: Debian installs it in /usr/sbin, often not on a user's
 * PATH. BENCH_PGBOUNCER names another binary, or `none` to measure as if it were missing.
 */
export function findPgbouncer(): string | undefined {
  const chosen = process.env.BENCH_PGBOUNCER;
  if (chosen) return chosen === "none" ? undefined : chosen;
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  return dirs.filter((d) => d.startsWith("/")).map((d) => join(d, "pgbouncer")).find((p) => existsSync(p));
}

export const INSTALL_HINT = "apt-get install pgbouncer (Debian/Ubuntu; as root, after apt-get update)";

export async function startPgbouncer(options: {
  binary: string;
  pgPort: number;
  database: string;
  /** Roles the Worker and the checks log in as, with their passwords. */
  users: Record<string, string>;
}): Promise<Pgbouncer> {
  const version = execFileSync(options.binary, ["--version"], { encoding: "utf8" }).split("\n")[0]!.trim();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "ai-office-bench-pgbouncer-"));
  const settings = {
    pool_mode: "transaction",
    auth_type: "plain",
    default_pool_size: 10,
    max_client_conn: 400,
    ignore_startup_parameters: "extra_float_digits",
  };
  const ini = [
    "[databases]",
    `${options.database} = host=127.0.0.1 port=${options.pgPort} dbname=${options.database}`,
    "",
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    `auth_file = ${join(dir, "userlist.txt")}`,
    ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`),
    // One log line per connection would cost more than the work measured here.
    "log_connections = 0",
    "log_disconnections = 0",
    "log_stats = 0",
    "",
  ].join("\n");
  const userlist = Object.entries(options.users)
    .map(([user, password]) => `"${user}" "${password.replace(/"/g, '""')}"`)
    .join("\n");
  await writeFile(join(dir, "pgbouncer.ini"), ini, { mode: 0o600 });
  await writeFile(join(dir, "userlist.txt"), `${userlist}\n`, { mode: 0o600 });
  const ids = serverUser();
  const args = [join(dir, "pgbouncer.ini")];
  if ("uid" in ids) {
    for (const f of ["", "pgbouncer.ini", "userlist.txt"]) await chown(join(dir, f), ids.uid, ids.gid);
    args.unshift("-u", "postgres");
  }
  const child = spawnManaged(options.binary, args, { cwd: dir, env: process.env });
  const stop = async () => {
    await child.stop();
    await rm(dir, { recursive: true, force: true });
  };
  // Ready when a real login through it works.
  const [user, password] = Object.entries(options.users)[0]!;
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`;
  let last = "";
  for (let i = 0; i < 100; i++) {
    if (child.exited()) break;
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return { port, pid: child.child.pid!, version, settings, stop };
    } catch (e) {
      last = (e as Error).message;
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  await stop();
  throw new Error(`pgbouncer did not accept a login on :${port} (${last}); its output:\n${child.output(15)}`);
}
