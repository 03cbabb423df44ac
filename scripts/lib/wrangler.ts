// Runs `wrangler dev` for the API Worker on loopback, with the local connection string and the
// dev secret injected (never written to wrangler.toml). Node 22 must be first on PATH: wrangler
// refuses older Node, and npm scripts put node_modules/.bin (with the `node` devDependency) first.
import { spawn, type ChildProcess } from "node:child_process";
import { repoRoot } from "./paths.ts";

export interface WranglerOptions {
  port: number;
  connectionString: string;
  vars: Record<string, string>;
  inspectorPort?: number;
  quiet?: boolean;
  /** Miniflare's local storage (default .wrangler/state); a test's own Worker uses its own. */
  persistTo?: string;
  /** Its own process group, so a caller can stop wrangler and its workerd together (kill(-pid)). */
  detached?: boolean;
}

export function startWrangler(options: WranglerOptions): ChildProcess {
  const args = [
    "dev",
    "--ip", "127.0.0.1",
    "--port", String(options.port),
    "--show-interactive-dev-session=false",
    "--log-level", options.quiet ? "warn" : "info",
    "--persist-to", options.persistTo ?? `${repoRoot}.wrangler/state`,
    ...(options.inspectorPort ? ["--inspector-port", String(options.inspectorPort)] : []),
    ...Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  return spawn(`${repoRoot}node_modules/.bin/wrangler`, args, {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    detached: options.detached ?? false,
    env: {
      ...process.env,
      PATH: `${repoRoot}node_modules/.bin:${process.env.PATH ?? ""}`,
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: options.connectionString,
      WRANGLER_SEND_METRICS: "false",
      // Don't fetch Request.cf data from the internet at start (slow or impossible offline).
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  });
}

export async function waitForHealthy(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`wrangler exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy at ${url} within ${timeoutMs / 1000}s (${last})`);
}
