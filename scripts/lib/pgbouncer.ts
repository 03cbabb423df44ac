// Debian's `pgbouncer` in transaction mode in front of a local Postgres: the local stand-in for
// Hyperdrive's pool. The bench measures throughput through it, and `npm test` routes the Worker's
// connections through it, so a request reuses a warm server backend instead of forking one
// (Postgres CPU per request 20 → 4 ms: the fork, the password check and a cold catalog cache).
//
// Settings that matter (see /work/shared/NOTES.md): `pool_mode = transaction` (pg's pipelined
// unnamed statements and `set_config(…, true)` are transaction-scoped, so they are safe);
// `auth_type = plain` with a userlist holding the roles' passwords (the local server asks for
// cleartext too, so start-up has the same shape pooled and direct); `ignore_startup_parameters
// = extra_float_digits` (pg sends it). As root it runs as the `postgres` system user (pgbouncer
// refuses root), with its files owned by that user.
//
// pgbouncer reloads on SIGHUP rather than exiting, so a closed terminal would leave it behind: it
// runs under a small shell watchdog that stops it when the process that started it is gone.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./ports.ts";
import { serverUser } from "./postgres/server-user.ts";

export interface Pgbouncer {
  port: number;
  /** The watchdog shell's pid; pgbouncer is its child. */
  pid: number;
  version: string;
  settings: Record<string, string | number>;
  /** A URL through the pooler for one of the users it was started with. */
  url(user: string): string;
  stop(): Promise<void>;
}

/**
 * The pgbouncer binary, or undefined: Debian installs it in /usr/sbin, often not on a user's
 * PATH. PGBOUNCER names another binary, or `none` to run as if it were missing.
 */
export function findPgbouncer(): string | undefined {
  const chosen = process.env.PGBOUNCER ?? process.env.BENCH_PGBOUNCER;
  if (chosen) return chosen === "none" ? undefined : chosen;
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  return dirs.filter((d) => d.startsWith("/")).map((d) => join(d, "pgbouncer")).find((p) => existsSync(p));
}

export const INSTALL_HINT = "apt-get install pgbouncer (Debian/Ubuntu; as root, after apt-get update)";

// Runs "$@" and stops it when $WATCH (the starting process) is gone (then removes its files), on
// SIGTERM, or when it exits.
// It ignores SIGHUP itself, so closing the terminal leaves the decision to the parent check.
const WATCHDOG = `trap '' HUP
"$@" & child=$!
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT
while kill -0 "$WATCH" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
kill -TERM $child 2>/dev/null; wait $child
kill -0 "$WATCH" 2>/dev/null || rm -rf "$PGB_DIR"`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startPgbouncer(options: {
  binary: string;
  pgPort: number;
  database: string;
  /** Roles that log in through it, with their passwords. */
  users: Record<string, string>;
  /** Server connections per (database, user): the clients beyond it wait their turn. */
  poolSize?: number;
}): Promise<Pgbouncer> {
  const version = execFileSync(options.binary, ["--version"], { encoding: "utf8" }).split("\n")[0]!.trim();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "ai-office-pgbouncer-"));
  const settings = {
    pool_mode: "transaction",
    auth_type: "plain",
    default_pool_size: options.poolSize ?? 10,
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
    // One log line per connection would cost more than the work it carries.
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
  const child = spawn("sh", ["-c", WATCHDOG, "sh", options.binary, ...args], {
    cwd: dir,
    env: { ...process.env, WATCH: String(process.pid), PGB_DIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = (user: string) => `postgres://${user}:${encodeURIComponent(options.users[user] ?? "")}@127.0.0.1:${port}/${options.database}`;
  // Ready when a real login through it works.
  const first = Object.keys(options.users)[0]!;
  let last = "";
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const client = new pg.Client({ connectionString: url(first) });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return { port, pid: child.pid!, version, settings, url, stop };
    } catch (e) {
      last = (e as Error).message;
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  await stop();
  throw new Error(`pgbouncer did not accept a login on :${port} (${last}); its output:\n${output.join("").slice(-2000)}`);
}
