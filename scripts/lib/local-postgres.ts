// The dev database: embedded Postgres with its data under .data/postgres, on a fixed port when
// free. Used by `npm run dev`, `npm run token` (if the stack is not running) and `db:reset`.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { freePort } from "./ports.ts";
import { DEV_POSTGRES_PORT, postgresDir, repoRoot, stackFile } from "./paths.ts";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serverCanReach, startPostgres, type RunningPostgres } from "./postgres.ts";
import { createServer } from "node:net";

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export async function startDevPostgres(): Promise<RunningPostgres> {
  const port = (await portFree(DEV_POSTGRES_PORT)) ? DEV_POSTGRES_PORT : await freePort();
  return startPostgres({ dataDir: devDataDir(), port, persistent: true });
}

/**
 * .data/postgres, unless the checkout is in a directory the postgres user cannot enter (as root,
 * e.g. a 0700 temp dir): then a directory of its own under the temp dir, named for this checkout.
 */
function devDataDir(): string {
  if (serverCanReach(join(repoRoot, "package.json"))) return postgresDir;
  const dir = join(tmpdir(), `ai-office-dev-postgres-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 12)}`);
  console.log(`[dev] the postgres user cannot enter ${repoRoot}; keeping the dev database in ${dir}`);
  return dir;
}

/** The admin URL of a running dev stack, if there is one and it answers. */
export async function runningStackAdminUrl(): Promise<string | null> {
  if (!existsSync(stackFile)) return null;
  const { adminUrl } = JSON.parse(await readFile(stackFile, "utf8")) as { adminUrl: string };
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.end();
    return adminUrl;
  } catch {
    return null;
  }
}
