// The API Worker over HTTP, as `npm run dev` runs it (wrangler dev, workerd), with its own
// Miniflare storage directory, in its own process group: stopping sends SIGTERM to the group
// (wrangler and workerd), waits up to 5 s for wrangler, then SIGKILLs whatever is left of it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/lib/ports.ts";
import { repoRoot } from "../../../scripts/lib/paths.ts";
import { startWrangler, waitForHealthy } from "../../../scripts/lib/wrangler.ts";

/** Routes the Worker's fetches to hosts under `suffix` to a local receiver (worker-with-receivers.ts). */
export interface ReceiverRoute {
  suffix: string;
  url: string;
}

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

export async function startE2EWorker(url: string, connectionString: string, vars: Record<string, string>, receivers?: ReceiverRoute): Promise<E2EWorker> {
  const persistTo = await mkdtemp(join(tmpdir(), "ai-office-e2e-wrangler-"));
  const port = Number(new URL(url).port);
  const inspectorPort = await freePort();
  const child: ChildProcess = receivers
    ? spawn(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}tests/support/e2e/worker-with-receivers.ts`], {
        cwd: repoRoot,
        stdio: ["ignore", "inherit", "inherit"],
        detached: true,
        env: {
          ...process.env,
          PATH: `${repoRoot}node_modules/.bin:${process.env.PATH ?? ""}`,
          CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: connectionString,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          E2E_WORKER: JSON.stringify({ port, inspectorPort, persistTo, vars }),
          E2E_RECEIVER_SUFFIX: receivers.suffix,
          E2E_RECEIVER_URL: receivers.url,
        },
      })
    : startWrangler({ port, connectionString, vars, inspectorPort, quiet: true, persistTo, detached: true });
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
