// A data directory's postmaster.pid after an unclean end. Postgres refuses to start while the pid
// in it is alive; after a container restart that pid may belong to something else entirely.
// Only a postgres process that really runs on this data directory is left alone.
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";

export interface LockHolder {
  pid: number;
  port: number | null;
}

/** Whether a process runs (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The postgres process that holds the data directory, or null (a stale lock is removed). */
export async function lockHolder(dataDir: string, log: (msg: string) => void): Promise<LockHolder | null> {
  const file = join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const [pidLine, dirLine, , portLine] = readFileSync(file, "utf8").split("\n");
  const pid = Number(pidLine);
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    // no such process (or no /proc): decided by alive() below
  }
  const holds = Number.isInteger(pid) && pid > 0 && alive(pid) && (cmdline === "" ? process.platform !== "linux" : cmdline.includes("postgres") && dirLine === dataDir);
  if (holds) return { pid, port: Number(portLine) || null };
  await rm(file, { force: true });
  log(`removed a stale postmaster.pid in ${dataDir} (pid ${pidLine} no longer runs Postgres)`);
  return null;
}

/** Stops a server left running on a data directory by an earlier run that was killed. */
export async function stopHolder(pid: number, log: (msg: string) => void): Promise<void> {
  log(`stopping Postgres pid ${pid}, left running on this data directory by an earlier run`);
  process.kill(pid, "SIGINT"); // fast shutdown
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!alive(pid)) return;
  }
  throw new Error(`Postgres pid ${pid} did not stop within 10 s; stop it with: kill -9 ${pid}`);
}
