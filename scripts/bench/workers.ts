// The Workers under `wrangler dev`, all in the same workerd build: the API twice (behind the
// counting proxies, and bound directly: see startWorkers), the same API without limits+metering
// (no-limits-worker.ts) and a bare Hono handler (bare-worker.ts) as the baseline.
//
// wrangler dev rebuilds on every source change, and other people edit this tree while the bench
// runs: the API Workers run from a snapshot of functions/, shared/ and wrangler.toml taken at
// start (snapshot()), which is also what the RLS statements are read from.
import { cp, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { freePort } from "../lib/ports.ts";
import { vendorAssets } from "../lib/vendor-assets.ts";
import { bin, root } from "./config.ts";
import { sleep, spawnManaged, type Managed } from "./processes.ts";
import { cleanup, stopping } from "./runtime.ts";

export interface Worker {
  name: string;
  base: string;
  process: Managed;
}

/** Copies what the API Worker is built from into `work/api` (node_modules and public linked). */
export async function snapshot(work: string): Promise<string> {
  // wrangler.toml's [build] step (vendoring the API reference UI into public/) runs here, once;
  // the snapshot has no scripts/ to run it with, so its copy of wrangler.toml goes without it.
  await vendorAssets();
  const apiDir = join(work, "api");
  for (const entry of ["functions", "shared", "wrangler.toml", "package.json", "tsconfig.json"]) {
    await cp(join(root, entry), join(apiDir, entry), { recursive: true });
  }
  const toml = await readFile(join(apiDir, "wrangler.toml"), "utf8");
  await writeFile(join(apiDir, "wrangler.toml"), toml.replace(/^\[build\]\n(?:(?!\[)[^\n]*\n)*/m, ""));
  await symlink(join(root, "node_modules"), join(apiDir, "node_modules"));
  await symlink(join(root, "public"), join(apiDir, "public"));
  // The no-limits entry imports ../../functions: copied to the same relative path in the snapshot.
  await mkdir(join(apiDir, "scripts/bench"), { recursive: true });
  await cp(join(root, "scripts/bench/no-limits-worker.ts"), join(apiDir, "scripts/bench/no-limits-worker.ts"));
  return apiDir;
}

/** How a Worker reaches its services: the Hyperdrive connection string and the Upstash vars. */
export interface Bindings {
  databaseUrl: string;
  vars: Record<string, string>;
}

/**
 * Starts the four Workers together. The API Workers get `vars` (secrets, Upstash bindings) and
 * reach Postgres through their Hyperdrive binding; their logs are at warn (a console.log per
 * request costs ~3 ms under wrangler dev, far more than in production). `counted`: the API behind
 * the counting proxies (round trips, injected delay, direct vs pooled). `direct`: bound straight
 * to pgbouncer and the Redis stand-in, as production has no proxy in between, for throughput
 * (the bindings are fixed when wrangler dev starts, hence a second instance of the same API).
 */
export async function startWorkers(
  work: string,
  apiDir: string,
  counted: Bindings,
  direct: Bindings,
): Promise<{ api: Worker; apiDirect: Worker; noLimits: Worker; bare: Worker }> {
  const bareConfig = join(work, "bare.wrangler.toml");
  await writeFile(
    bareConfig,
    [
      `name = "ai-office-bench-bare"`,
      `main = ${JSON.stringify(join(root, "scripts/bench/bare-worker.ts"))}`,
      `compatibility_date = "2026-07-01"`,
      `compatibility_flags = ["nodejs_compat"]`,
      "",
    ].join("\n"),
  );
  const apiConfig = join(apiDir, "wrangler.toml");
  const api = async (name: string, state: string, b: Bindings, extra: { script?: string; name?: string } = {}) => {
    const port = await freePort();
    const vars = { ...b.vars, LOG_LEVEL: "warn", PUBLIC_API_URL: `http://127.0.0.1:${port}` };
    const env = { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: b.databaseUrl };
    return startWrangler(name, apiConfig, join(work, state), { port, vars, env, readyPath: "/healthz", ...extra });
  };
  const barePort = await freePort();
  // Each with its own name: no clash in wrangler's dev registry.
  const [counting, apiDirect, noLimits, bare] = await Promise.all([
    api("API", "state-api", counted),
    api("API, direct bindings", "state-api-direct", direct, { name: "ai-office-bench-direct" }),
    api("API without limits", "state-no-limits", direct, { script: join(apiDir, "scripts/bench/no-limits-worker.ts"), name: "ai-office-bench-no-limits" }),
    startWrangler("bare Hono", bareConfig, join(work, "state-bare"), { port: barePort, vars: {}, env: {}, readyPath: "/" }),
  ]);
  return { api: counting, apiDirect, noLimits, bare };
}

async function startWrangler(
  name: string,
  config: string,
  persistTo: string,
  options: { port: number; vars: Record<string, string>; env: Record<string, string>; readyPath: string; script?: string; name?: string },
): Promise<Worker> {
  const inspectorPort = await freePort();
  const args = ["dev", ...(options.script ? [options.script] : [])];
  args.push("--config", config, "--ip", "127.0.0.1", "--port", String(options.port), "--inspector-port", String(inspectorPort));
  if (options.name) args.push("--name", options.name);
  args.push("--log-level", "warn", "--show-interactive-dev-session=false", "--persist-to", persistTo);
  for (const [k, v] of Object.entries(options.vars)) args.push("--var", `${k}:${v}`);
  const child = spawnManaged(join(bin, "wrangler"), args, {
    cwd: dirname(config), // .wrangler/ (bundles) lands in the temp dir, not the repo
    env: {
      ...process.env,
      ...options.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`, // Node 22 from node_modules (wrangler refuses 20)
      CI: "1",
      // Keep wrangler and miniflare off the network: no Request.cf download, metrics or banner.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      WRANGLER_HIDE_BANNER: "true",
    },
  });
  cleanup.add(`stop wrangler dev (${name})`, () => child.stop());
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = performance.now() + 120_000;
  let failingSince: number | undefined;
  let last = "no answer";
  while (performance.now() < deadline) {
    stopping.signal.throwIfAborted();
    if (child.exited()) throw new Error(`wrangler dev (${name}) exited during start-up:\n${child.output(15)}`);
    try {
      const res = await fetch(`${base}${options.readyPath}`, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.ok) return { name, base, process: child };
      last = `${res.status} ${body.slice(0, 300)}`;
      // Serving, but failing (e.g. a binding the Worker requires is missing): give up soon.
      failingSince ??= performance.now();
      if (performance.now() - failingSince > 10_000) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`wrangler dev (${name}) not healthy on ${base}${options.readyPath} (last answer: ${last}); its last output:\n${child.output(15)}`);
}
