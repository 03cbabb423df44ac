// The API Worker over HTTP, as `npm run dev` runs it (wrangler dev, workerd), with its own
// Miniflare storage directory, in its own process group: stopping sends SIGTERM to the group
// (wrangler and workerd), waits up to 5 s for wrangler, then SIGKILLs whatever is left of it.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/lib/ports.ts";
import { startWrangler, waitForHealthy } from "../../../scripts/lib/wrangler.ts";

export interface E2EWorker {
  url: string;
  /** Resolves when /healthz answers 200 (the database is reachable too). */
  ready: (timeoutMs: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** The port is chosen first: the Worker's PUBLIC_API_URL (and so QStash's `sub`) must name it. */
export async function reserveWorkerUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

export async function startE2EWorker(url: string, connectionString: string, vars: Record<string, string>): Promise<E2EWorker> {
  const persistTo = await mkdtemp(join(tmpdir(), "ai-office-e2e-wrangler-"));
  const child: ChildProcess = startWrangler({
    port: Number(new URL(url).port),
    connectionString,
    vars,
    inspectorPort: await freePort(),
    quiet: true,
    persistTo,
    detached: true,
  });
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  const stop = async () => {
    if (child.pid !== undefined) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        group("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      group("SIGKILL");
    }
    await rm(persistTo, { recursive: true, force: true });
  };
  return { url, ready: (timeoutMs) => waitForHealthy(url, timeoutMs, child), stop };
}
