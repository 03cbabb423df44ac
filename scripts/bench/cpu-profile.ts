// `npm run bench:profile`: where the Worker's CPU goes, measured inside workerd.
//
// Starts its own stack as the bench does (a throwaway embedded Postgres with every migration and
// the seed, every tenant on the enterprise plan so that the limits never refuse the run, the
// Upstash stand-ins) and `wrangler dev` with an inspector port over a snapshot of functions/,
// shared/ and wrangler.toml (edits made meanwhile do not reload it). With --baseline <git ref> a
// second Worker runs that revision on the same database, Redis and tokens, and the two take turns.
// Or it attaches to a running `wrangler dev` (--attach URL --inspector PORT: `ps -ef | grep
// inspector-port` shows the port of `npm run dev`; tokens are minted from its database, for acme's
// people only, whose pro plan lets 1,200 requests a minute through: keep N under that).
// Per route and Worker:
//   1. throughput: N requests at concurrency C, in --rounds turns, no inspector client attached:
//      req/s, p50/p99 and (own stack) CPU ms per request of wrangler's processes from /proc: the
//      workerd that runs the Worker, the workerd of wrangler's proxy in front of it, wrangler's node;
//   2. profile: N more requests under V8's sampling profiler over the Chrome DevTools Protocol
//      (Profiler.start/stop through wrangler's inspector proxy): the top functions by self and by
//      total time, by function and source file (the bundle's `// path` comments name the files).
// Routes: healthz (GET /healthz: connects, `select 1`), me (GET /v1/me), invalid (PATCH
// /v1/me/settings with a body the schema refuses: token, limits, 400, no statement) and anonymous
// (GET /v1/me without a token: 401 before any Redis or database work); on request, openapi.
// Options: --route me,anonymous (default: all) --requests N (1000) --concurrency C (8) --rounds R
// (3) --top K (15) --log-level info|warn (own stack; default info, as deployed) --baseline <ref>
// --no-profile --save <dir> (writes <route>.cpuprofile files, which Chrome DevTools opens).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { devSecret } from "../lib/dev-secret.ts";
import { mintDevToken } from "../lib/dev-token.ts";
import { runningStack } from "../lib/local-postgres.ts";
import { apiUrl, migrate, prepareDatabase } from "../lib/migrate.ts";
import { repoRoot } from "../lib/paths.ts";
import { freePort } from "../lib/ports.ts";
import { startPostgres } from "../lib/postgres/server.ts";
import { startUpstashStack } from "../lib/upstash-stack.ts";
import { vendorAssets } from "../lib/vendor-assets.ts";
import { waitForHealthy } from "../lib/wrangler.ts";

const { values: opt } = parseArgs({
  options: {
    route: { type: "string", default: "healthz,me,invalid,anonymous" },
    requests: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    top: { type: "string", default: "15" },
    "log-level": { type: "string", default: "info" },
    baseline: { type: "string" },
    "no-profile": { type: "boolean", default: false },
    save: { type: "string" },
    attach: { type: "string" },
    inspector: { type: "string" },
  },
});
const [N, C, ROUNDS, TOP] = [opt.requests, opt.concurrency, opt.rounds, opt.top].map(Number) as [number, number, number, number];
const PEOPLE = ["olivia.owner", "max.manager", "eve.sales", "sam.support", "carl.customer"].map((p) => `${p}@acme.test`)
  .concat(["grace.owner", "hank.manager", "ivy.sales", "jack.support", "kim.customer"].map((p) => `${p}@globex.test`));

type Route = { name: string; expect: number; request(token: string): [string, RequestInit] };
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const ROUTES: Route[] = [
  { name: "healthz", expect: 200, request: () => ["/healthz", {}] },
  { name: "me", expect: 200, request: (t) => ["/v1/me", { headers: bearer(t) }] },
  { name: "invalid", expect: 400, request: (t) => ["/v1/me/settings", { method: "PATCH", headers: { ...bearer(t), "content-type": "application/json" }, body: '{"timezone":42}' }] },
  { name: "anonymous", expect: 401, request: () => ["/v1/me", {}] },
  { name: "openapi", expect: 200, request: () => ["/openapi.json", {}] }, // not in the default list
];

const stops: (() => Promise<unknown> | void)[] = [];
const stopAll = async () => {
  for (const stop of stops.splice(0).reverse()) await Promise.resolve().then(stop).catch(() => undefined);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)));

/** pid: wrangler's, the leader of its process group (wrangler's node and workerd), if we started it. */
type Worker = { label: string; base: string; inspectorPort: number; pid?: number };

async function ownStack(): Promise<{ tokens: string[]; workers: Worker[] }> {
  const work = await mkdtemp(join(tmpdir(), "ai-office-profile-"));
  stops.push(() => rm(work, { recursive: true, force: true }));
  const pgDir = await mkdtemp(join(tmpdir(), "ai-office-profile-pg-")); // its own: initdb makes it 0700
  stops.push(() => rm(pgDir, { recursive: true, force: true }));
  const server = await startPostgres({ dataDir: pgDir, persistent: false });
  stops.push(() => server.stop());
  const [adminUrl, password, secret] = [server.adminUrl("office"), randomBytes(16).toString("hex"), randomBytes(32).toString("base64url")];
  await prepareDatabase(server, "office");
  await migrate(adminUrl, { seed: true, apiPassword: password });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query("update public.tenants set plan = 'enterprise'"); // 6,000/min per tenant, 3,000 per member
  await admin.end();
  const tokens = await Promise.all(PEOPLE.map(async (e) => (await mintDevToken(adminUrl, e, secret)).token));
  const upstash = await startUpstashStack();
  stops.push(() => upstash.stop());
  await vendorAssets(); // the snapshots serve public/ from here: they have no scripts/ for [build]

  const startWorker = async (label: string, ref?: string): Promise<Worker> => {
    const dir = join(work, `worker-${label.replace(/\W/g, "_")}`);
    await mkdir(dir);
    if (ref) execFileSync("sh", ["-c", `git archive "$0" functions shared wrangler.toml package.json | tar -x -C "$1"`, ref, dir], { cwd: repoRoot });
    else for (const entry of ["functions", "shared", "wrangler.toml", "package.json"]) await cp(join(repoRoot, entry), join(dir, entry), { recursive: true });
    const toml = await readFile(join(dir, "wrangler.toml"), "utf8");
    await writeFile(join(dir, "wrangler.toml"), toml.replace(/^\[build\]\n(?:(?!\[)[^\n]*\n)*/m, ""));
    for (const entry of ["node_modules", "public"]) await symlink(join(repoRoot, entry), join(dir, entry));
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    const vars = { AUTH_DEV_SECRET: secret, ...upstash.bindings, PUBLIC_API_URL: base, LOG_LEVEL: opt["log-level"]! };
    const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--log-level", "warn"];
    args.push("--show-interactive-dev-session=false", "--persist-to", join(dir, ".state"), ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]));
    const bin = join(repoRoot, "node_modules/.bin");
    const child = spawn(join(bin, "wrangler"), args, {
      cwd: dir,
      detached: true, // its own process group: measured as one, stopped as one
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: apiUrl(adminUrl, password),
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
      },
    });
    stops.push(async () => {
      if (child.exitCode !== null || !child.pid) return;
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([new Promise((r) => child.once("exit", r)), new Promise((r) => setTimeout(r, 5_000))]);
    });
    await waitForHealthy(base, 120_000, child);
    return { label, base, inspectorPort, pid: child.pid };
  };
  const workers = opt.baseline ? [await startWorker(`baseline ${opt.baseline}`, opt.baseline)] : [];
  workers.push(await startWorker("working tree"));
  return { tokens, workers };
}

async function attached(): Promise<{ tokens: string[]; workers: Worker[] }> {
  const dev = await runningStack();
  if (!opt.inspector || !dev) throw new Error("--attach needs --inspector <port> and a running `npm run dev` (tokens come from its database)");
  const secret = await devSecret();
  const tokens = await Promise.all(PEOPLE.slice(0, 5).map(async (e) => (await mintDevToken(dev.adminUrl, e, secret)).token));
  return { tokens, workers: [{ label: "attached", base: opt.attach!.replace(/\/$/, ""), inspectorPort: Number(opt.inspector) }] };
}

/** n requests, C at a time, tokens in turn; throws on an unexpected status. */
async function drive(w: Worker, tokens: string[], route: Route, n: number): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  const client = async () => {
    while (next < n) {
      const [path, init] = route.request(tokens[next++ % tokens.length]!);
      const t0 = performance.now();
      const res = await fetch(w.base + path, { ...init, signal: AbortSignal.timeout(30_000) });
      const body = await res.text();
      latencies.push(performance.now() - t0);
      if (res.status !== route.expect) throw new Error(`${route.name}: ${res.status} (expected ${route.expect}): ${body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: C }, client));
  return { seconds: (performance.now() - start) / 1000, latencies };
}

const ROLES = ["runtime", "proxy", "node"] as const;
type Cpu = Record<(typeof ROLES)[number], number>;

/** CPU seconds (user + system) of a process group by role: the Worker's workerd (the one with an inspector), the proxy's workerd, node. */
async function groupCpu(pgid: number): Promise<Cpu> {
  const cpu: Cpu = { runtime: 0, proxy: 0, node: 0 };
  for (const pid of (await readdir("/proc")).filter((p) => /^\d+$/.test(p))) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
    if (Number(fields[2]) !== pgid) continue;
    const args = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    cpu[!args.includes("workerd") ? "node" : args.includes("--inspector-addr") ? "runtime" : "proxy"] += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return cpu;
}

/** Runs fn; with our own wrangler, also returns the CPU ms per request each role spent meanwhile. */
async function measured<T>(w: Worker, n: number, fn: () => Promise<T>): Promise<[T, Cpu | undefined]> {
  const before = w.pid ? await groupCpu(w.pid) : undefined;
  const result = await fn();
  const after = w.pid ? await groupCpu(w.pid) : undefined;
  return [result, before && after && (Object.fromEntries(ROLES.map((k) => [k, ((after[k] - before[k]) * 1000) / n])) as Cpu)];
}

/** A minimal CDP client over Node's global WebSocket. */
async function inspector(port: number) {
  // wrangler's inspector proxy refuses an upgrade without an allowed Origin (Node's WebSocket sends none).
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { origin: "http://localhost" } } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`no inspector on 127.0.0.1:${port}`)), { once: true });
  });
  let id = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return; // events (console messages, …) and replies to wrangler's own requests (ids from 1e8)
    pending.delete(msg.id!);
    // workerd answers Profiler.enable/start with the request itself (method, params, no result).
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result ?? {});
  });
  ws.addEventListener("close", () => pending.forEach((p) => p.reject(new Error("the inspector connection closed"))));
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve, reject) => {
        pending.set(++id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

type ProfileNode = { id: number; callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** For a bundle's source: the file each line comes from, by esbuild's `// path` comments. */
function moduleMap(source: string): (line: number) => string {
  const starts: [number, string][] = [];
  source.split("\n").forEach((text, i) => {
    const m = /^\/\/ ((?:node_modules|functions|shared|\.\.\/)\S*\.[cm]?[jt]s)$/.exec(text);
    if (m) starts.push([i, m[1]!.replace(/^(\.\.\/)+/, "").replace(/^.*node_modules\//, "")]);
  });
  return (line) => starts.findLast(([start]) => start <= line)?.[1] ?? "";
}

/**
 * Top functions by self and total time, in ms per request of the isolate's thread. A sample
 * stands for the time until the next one, capped at 3× the median interval: workerd takes no
 * samples while the isolate waits, so the delta after the last sample before a wait holds the
 * whole wait. That time is JS and the native calls it makes; the rest of the Worker's workerd
 * (HTTP, sockets, the asset router, wrangler's inspector session) is in `cpu` (from /proc).
 */
function report(profile: Profile, files: Map<string, (line: number) => string>, cpu: number | undefined): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = ({ callFrame: f }: ProfileNode) => {
    const file = files.get(f.scriptId)?.(f.lineNumber) || f.url.replace(/^.*\//, "");
    return `${f.functionName || "(anonymous)"}${file ? `  ${file}` : ""}`;
  };
  const cap = 3 * [...profile.timeDeltas].sort((a, b) => a - b)[profile.timeDeltas.length >> 1]!;
  const us = new Map<number, number>();
  profile.samples.forEach((id, i) => us.set(id, (us.get(id) ?? 0) + Math.min(profile.timeDeltas[i + 1] ?? 0, cap)));
  const [self, total] = [new Map<string, number>(), new Map<string, number>()];
  let busy = 0;
  for (const [id, t] of us) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    busy += t;
    self.set(key(byId.get(id)!), (self.get(key(byId.get(id)!)) ?? 0) + t);
    const seen = new Set<string>(); // recursion counts once
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) seen.add(key(byId.get(n)!));
    for (const k of seen) total.set(k, (total.get(k) ?? 0) + t);
  }
  const ms = (t: number) => (t / 1000 / N).toFixed(3);
  const table = (m: Map<string, number>) =>
    [...m].filter(([k]) => k !== "(root)").sort((a, b) => b[1] - a[1]).slice(0, TOP)
      .map(([k, t]) => `    ${ms(t).padStart(7)} ms/req ${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`);
  const of = cpu === undefined ? "" : ` of ${cpu.toFixed(2)} ms CPU/request in the Worker's workerd (inspector attached)`;
  return [`  profile: the isolate's thread ≈ ${ms(busy)} ms/request (${profile.samples.length} samples)${of}`, "  top by self time:", ...table(self), "  top by total time:", ...table(total)];
}

async function profile(w: Worker, tokens: string[], route: Route): Promise<string[]> {
  const cdp = await inspector(w.inspectorPort);
  try {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 }); // µs
    await cdp.send("Profiler.start");
    const [, cpu] = await measured(w, N, () => drive(w, tokens, route, N));
    const { profile } = await cdp.send<{ profile?: Profile }>("Profiler.stop");
    if (!profile) throw new Error("Profiler.stop returned no profile");
    if (opt.save) await writeFile(join(opt.save, `${route.name}${w.label === "working tree" ? "" : `-${w.label.replace(/\W/g, "_")}`}.cpuprofile`), JSON.stringify(profile));
    const files = new Map<string, (line: number) => string>();
    await cdp.send("Debugger.enable").catch(() => undefined); // to read the scripts' sources
    for (const scriptId of new Set(profile.nodes.map((n) => n.callFrame.scriptId).filter((s) => s !== "0"))) {
      const src = await cdp.send<{ scriptSource: string }>("Debugger.getScriptSource", { scriptId }).catch(() => undefined);
      if (src) files.set(scriptId, moduleMap(src.scriptSource));
    }
    await cdp.send("Debugger.disable").catch(() => undefined);
    return report(profile, files, cpu?.runtime);
  } finally {
    cdp.close();
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

try {
  const routes = opt.route!.split(",").map((name) => ROUTES.find((r) => r.name === name) ?? name);
  const unknown = routes.filter((r) => typeof r === "string");
  if (unknown.length) throw new Error(`--route ${unknown.join(",")}: choose from ${ROUTES.map((r) => r.name).join(", ")}`);
  const { tokens, workers } = opt.attach ? await attached() : await ownStack();
  console.log(`${N} requests per route and Worker at concurrency ${C} in ${ROUNDS} rounds; LOG_LEVEL ${opt.attach ? "as configured" : opt["log-level"]}`);
  for (const route of routes as Route[]) {
    for (const w of workers) await drive(w, tokens, route, Math.min(200, N)); // warm-up: JIT, the limiter's scripts in Redis
    const runs = workers.map(() => ({ seconds: 0, latencies: [] as number[], cpu: [] as Cpu[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, w] of workers.entries()) { // the Workers take turns: drifts in the machine's load hit both
        const [run, cpu] = await measured(w, Math.ceil(N / ROUNDS), () => drive(w, tokens, route, Math.ceil(N / ROUNDS)));
        runs[i]!.seconds += run.seconds;
        runs[i]!.latencies.push(...run.latencies);
        if (cpu) runs[i]!.cpu.push(cpu);
      }
    }
    for (const [i, w] of workers.entries()) {
      const { seconds, latencies, cpu } = runs[i]!;
      const p = (q: number) => percentile(latencies, q).toFixed(1);
      const ms = (k: keyof Cpu) => (cpu.reduce((sum, c) => sum + c[k], 0) / cpu.length).toFixed(2);
      const cpuText = cpu.length ? `; CPU ms/request: Worker ${ms("runtime")}, wrangler's proxy ${ms("proxy")}, wrangler's node ${ms("node")}` : "";
      console.log(`${route.name} [${w.label}]: ${(latencies.length / seconds).toFixed(0)} req/s, p50 ${p(50)} ms, p99 ${p(99)} ms${cpuText}`);
    }
    if (!opt["no-profile"]) for (const w of workers) console.log([`${route.name} [${w.label}]`, ...(await profile(w, tokens, route))].join("\n"));
  }
} catch (e) {
  console.error(`[profile] failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
