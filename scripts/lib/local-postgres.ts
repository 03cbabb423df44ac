// The dev database: embedded Postgres with its data under .data/postgres, on DB_PORT, else the
// port it used last time, else 54329; if that is taken, a free port that is then kept for the
// next start. Used by `npm run dev`, `npm run token` (if the stack is not running) and `db:reset`.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { DEV_POSTGRES_PORT, dataDir, portsFile, postgresDir, repoRoot, stackFile } from "./paths.ts";
import { freePort, portFree, portFromEnv } from "./ports.ts";
import { alive, lockHolder, stopHolder } from "./postgres/lock.ts";
import { reachableBy, serverUser } from "./postgres/server-user.ts";
import { startPostgres, type RunningPostgres } from "./postgres/server.ts";

type Log = (msg: string) => void;

export async function startDevPostgres(log: Log = (m) => console.log(`[dev] ${m}`)): Promise<RunningPostgres> {
  const dir = await devDataDir(log);
  // A server left behind by a killed run holds the data directory (and probably the port). One
  // that a live dev stack still owns is not ours to stop.
  const holder = await lockHolder(dir, log);
  if (holder) {
    const stack = await readStack().catch(() => null);
    if (stack && stack.pid !== process.pid && alive(stack.pid)) {
      throw new Error(`the dev stack (pid ${stack.pid}, ${stack.api}) runs on this database; use it, or stop it first: kill ${stack.pid}`);
    }
    await stopHolder(holder.pid, log);
  }
  return startPostgres({ dataDir: dir, port: await devPostgresPort(log), persistent: true, log });
}


async function devPostgresPort(log: Log): Promise<number> {
  const chosen = portFromEnv("DB_PORT");
  if (chosen !== undefined) {
    if (!(await portFree(chosen))) throw new Error(`DB_PORT=${chosen} is in use by another program; choose another, e.g. DB_PORT=${await freePort()} npm run dev`);
    return chosen;
  }
  const remembered = existsSync(portsFile) ? ((JSON.parse(await readFile(portsFile, "utf8")) as { postgres?: number }).postgres ?? DEV_POSTGRES_PORT) : DEV_POSTGRES_PORT;
  if (await portFree(remembered)) return remembered;
  const port = await freePort();
  await mkdir(dataDir, { recursive: true });
  await writeFile(portsFile, `${JSON.stringify({ postgres: port })}\n`);
  log(`port ${remembered} is taken; the dev Postgres uses port ${port} from now on (kept in .data/ports.json; DB_PORT chooses one)`);
  return port;
}

/**
 * .data/postgres, unless the checkout is in a directory the postgres user cannot enter (as root,
 * e.g. a 0700 temp dir): then a directory of its own under the temp dir, named for this checkout.
 */
async function devDataDir(log: Log): Promise<string> {
  const ids = serverUser();
  if (!reachableBy(ids, repoRoot)) {
    const dir = join(tmpdir(), `ai-office-dev-postgres-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 12)}`);
    log(`the postgres user cannot enter ${repoRoot}; keeping the dev database in ${dir}`);
    return dir;
  }
  // .data is ours: an earlier version created it 0700, which shut the postgres user out.
  const mode = await stat(dataDir).then((s) => s.mode & 0o777, () => null);
  if (mode !== null && !reachableBy(ids, dataDir)) {
    await chmod(dataDir, mode | 0o055);
    log(`made ${dataDir} enterable for the postgres user (it was mode ${mode.toString(8)})`);
  }
  return postgresDir;
}

export interface StackInfo {
  pid: number;
  api: string;
  adminUrl: string;
  superuserUrl: string;
  qstashUrl: string;
  redisRestUrl: string;
  /** The Supabase Auth stand-in (absent in a stack file written before it existed). */
  supabaseUrl?: string;
}

export async function readStack(): Promise<StackInfo | null> {
  if (!existsSync(stackFile)) return null;
  return JSON.parse(await readFile(stackFile, "utf8")) as StackInfo;
}

/** The running dev stack, if there is one and its database answers. */
export async function runningStack(): Promise<StackInfo | null> {
  const stack = await readStack().catch(() => null);
  if (!stack?.adminUrl) return null;
  const client = new pg.Client({ connectionString: stack.adminUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.end();
    return stack;
  } catch {
    return null;
  }
}
