// "What bounds throughput": CPU ms per request of every process group a request crosses, per
// throughput target (measured by cpu.ts over the target's slices), and how busy the cores were.
// When the cores are saturated, req/s ≈ cores ÷ CPU per request, so the groups' shares say what
// bounds it.
//
// Each Worker runs under `wrangler dev` as two workerd processes: wrangler's ProxyWorker, which
// owns the public port and forwards every request to the second, the Worker itself (production
// has no such hop). They are told apart by the ProxyWorker's `--socket-addr=entry=…:<port>`.
import { readFile } from "node:fs/promises";
import type { CpuAccount, CpuGroup } from "./cpu.ts";
import { inGroupNamed, type MemorySampler } from "./machine.ts";
import { TP } from "./phases.ts";
import type { StandIns } from "./standins.ts";
import type { Throughput } from "./throughput.ts";
import type { Worker } from "./workers.ts";

/** A Worker as the CPU table sees it: its memory groups (watchProcesses) and its public port. */
export interface WorkerGroups {
  name: string;
  port: number;
  workerd: string;
  wrangler: string;
}

/** The bench's own node process: the load client and the counting proxies. */
export const BENCH = "bench process (load client, counting proxies)";
const WORKER = "workerd: the Worker";
const PROXY = "workerd: wrangler's ProxyWorker";
const WRANGLER = "wrangler dev (node, esbuild)";
const perWorker = (w: string, part: string) => `${w} · ${part}`;

/** The groups every target shares, in the table's column order (Postgres and pgbouncer: run.ts). */
export const SHARED = ["Postgres (postmaster + backends)", "pgbouncer", "Upstash Redis REST stand-in (node)", "redis-server", "QStash stand-in (node)", BENCH];

/** Registers the Workers' and stand-ins' processes and the bench's own with the memory sampler. */
export function watchProcesses(memory: MemorySampler, workers: Worker[], standIns: StandIns): WorkerGroups[] {
  const rest = standIns.redisRest.child.pid!;
  memory.watch(SHARED[2]!, (p) => p.pid === rest);
  memory.watch(SHARED[3]!, inGroupNamed(rest, "redis-server")); // its child (unless REDIS_URL names one)
  memory.watch(SHARED[4]!, (p) => p.pid === standIns.qstash.child.pid);
  memory.watch(BENCH, (p) => p.pid === process.pid);
  return workers.map((w) => {
    const pgrp = w.process.child.pid!; // wrangler dev leads its own process group (processes.ts)
    const g = { name: w.name, port: Number(new URL(w.base).port), workerd: `workerd (${w.name})`, wrangler: `wrangler dev (${w.name}): node, esbuild` };
    memory.watch(g.workerd, inGroupNamed(pgrp, "workerd"));
    memory.watch(g.wrangler, (p) => p.pgrp === pgrp && p.comm !== "workerd");
    return g;
  });
}

export async function cpuGroups(memory: MemorySampler, workers: WorkerGroups[], shared: { name: string; parent?: number }[]): Promise<CpuGroup[]> {
  const groups: CpuGroup[] = shared.map((s) => ({ name: s.name, parent: s.parent, pids: () => memory.pids(s.name) }));
  for (const w of workers) {
    const proxies = new Set<number>();
    for (const pid of memory.pids(w.workerd)) {
      const args = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
      if (args.some((a) => a.startsWith("--socket-addr=entry=") && a.endsWith(`:${w.port}`))) proxies.add(pid);
    }
    groups.push(
      { name: perWorker(w.name, WORKER), pids: () => memory.pids(w.workerd).filter((p) => !proxies.has(p)) },
      { name: perWorker(w.name, PROXY), pids: () => memory.pids(w.workerd).filter((p) => proxies.has(p)) },
      { name: perWorker(w.name, WRANGLER), pids: () => memory.pids(w.wrangler) },
    );
  }
  return groups;
}

/** The path of the throughput figures, in words; `postgres`: what the direct binding reaches. */
export function throughputPath(postgres: string): string {
  return (
    `every request goes load client (bench process) → wrangler's ProxyWorker (workerd) → the Worker (workerd). The key routes and ` +
    `"${TP.noLimits}" load Workers bound directly: Hyperdrive → ${postgres}, Upstash Redis → the REST stand-in (own node process) → ` +
    `redis-server, no counting proxy. "${TP.counted}" and "${TP.direct}" load the API of the round-trip figures: Postgres through ` +
    `the counting proxy (→ pgbouncer, or → Postgres directly) and Redis through the other, both proxies in the bench process`
  );
}

export interface BoundsRow {
  target: string;
  /** The Worker the target loads. */
  worker: string;
  requests: number;
  rps: number;
  /** Busy time of the whole machine ÷ wall time: cores in use, everyone's work included. */
  coresBusy: number;
  /** CPU ms per request of every group (the idle Workers' too). */
  perRequest: Record<string, number>;
  /** Sum over the groups: what one request cost the bench's processes. */
  sumMs: number;
  /** The machine's busy time outside these groups (other users' work), per request. */
  othersMs: number;
}

export interface Bounds {
  cores: number;
  rows: BoundsRow[];
  /** The shared groups, in column order. */
  shared: string[];
  /** What each throughput figure's requests pass through, in words. */
  path: string;
  /** The targets the verdict compares: GET /v1/me (as the key routes table has it) and the baseline. */
  me: string;
  bare: string;
  verdict?: Verdict;
}

/** The verdict's reading of the table, also in the JSON. */
export interface Verdict {
  saturated: boolean;
  /** CPU per request, bare ÷ GET /v1/me: the ratio if throughput were bound by CPU alone. */
  cpuRatio: number;
  measuredRatio: number;
  /** The same for the Worker's own workerd only: the bound where the services run elsewhere. */
  workerRatio: number;
  /** The groups over 5 % of GET /v1/me's CPU, largest first: [group, ms]. */
  largest: [string, number][];
  text: string;
}

export function boundsRows(results: Throughput[], workerOf: (label: string) => string): BoundsRow[] {
  return results
    .filter((t) => t.cpu.wallMs > 0)
    .map((t) => {
      const n = t.ok + t.errors;
      const perRequest = Object.fromEntries(Object.entries(t.cpu.groups).map(([k, ms]) => [k, ms / n]));
      const sumMs = sum(t.cpu.groups) / n;
      return {
        target: t.label,
        worker: workerOf(t.label),
        requests: n,
        rps: t.rps,
        coresBusy: t.cpu.machineMs / t.cpu.wallMs,
        perRequest,
        sumMs,
        othersMs: Math.max(0, t.cpu.machineMs / n - sumMs),
      };
    });
}

const sum = (r: CpuAccount["groups"]) => Object.values(r).reduce((a, b) => a + b, 0);
const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "n/a" : n.toFixed(1));
const f2 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "n/a" : n.toFixed(2));

export function boundsMarkdown(b: Bounds, table: (head: string[], rows: string[][]) => string): string[] {
  const own = (r: BoundsRow, part: string) => r.perRequest[perWorker(r.worker, part)];
  const otherWorkers = (r: BoundsRow) =>
    Object.entries(r.perRequest)
      .filter(([k]) => k.includes(" · ") && !k.startsWith(`${r.worker} · `))
      .reduce((a, [, v]) => a + v, 0);
  const out = ["## What bounds throughput (CPU ms per request, by process group)", ""];
  out.push(
    table(
      ["target", "req/s", WORKER, PROXY, WRANGLER, ...b.shared, "the other Workers (idle)", "sum", "rest of the machine", `cores busy (of ${b.cores})`],
      b.rows.map((r) => [
        r.target,
        f1(r.rps),
        f2(own(r, WORKER)),
        f2(own(r, PROXY)),
        f2(own(r, WRANGLER)),
        ...b.shared.map((s) => f2(r.perRequest[s])),
        f2(otherWorkers(r)),
        `**${f2(r.sumMs)}**`,
        f2(r.othersMs),
        f2(r.coresBusy),
      ]),
    ),
    "",
    `CPU time (utime + stime of every process of the group, all threads; Postgres with its reaped backends) read from /proc at each ` +
      `throughput slice's start and after its tail settled, ÷ the slice's requests. The workerd, ProxyWorker and wrangler columns are ` +
      `the target's own Worker's. "Rest of the machine": the cores' busy time outside these groups (other users' work). ` +
      `**Path**: ${b.path}.`,
    "",
  );
  const v = verdict(b);
  if (v) out.push(`- ${v.text}`, "");
  return out;
}

export function verdict(b: Bounds): Verdict | undefined {
  const me = b.rows.find((r) => r.target === b.me);
  const bare = b.rows.find((r) => r.target === b.bare);
  if (!me || !bare) return undefined;
  const worker = (r: BoundsRow) => r.perRequest[perWorker(r.worker, WORKER)] ?? NaN;
  const largest = Object.entries(me.perRequest)
    .filter(([, ms]) => ms > 0.05 * me.sumMs)
    .sort((x, y) => y[1] - x[1])
    .map(([k, ms]): [string, number] => [k.replace(`${me.worker} · `, ""), ms]);
  const saturated = me.coresBusy >= 0.9 * b.cores;
  const v = { saturated, cpuRatio: bare.sumMs / me.sumMs, measuredRatio: me.rps / bare.rps, workerRatio: worker(bare) / worker(me), largest };
  const text =
    `${me.target} costs ${f1(me.sumMs)} ms of CPU per request across the bench's processes, the bare handler ${f1(bare.sumMs)} ms ` +
    `(${f1(bare.perRequest[BENCH])} of it the load client): bound by CPU alone the ratio would be ${f2(v.cpuRatio)}; measured ${f2(v.measuredRatio)}. ` +
    `Largest: ${largest.map(([k, ms]) => `${k} ${f1(ms)} ms (${Math.round((100 * ms) / me.sumMs)} %)`).join(", ")}. ` +
    `The cores were ${f2(me.coresBusy)} of ${b.cores} busy (${f1(me.othersMs)} ms per request of it other users' work)` +
    (saturated ? ": throughput is bound by CPU per request. " : ", not saturated: waits bound it too (a workerd runs its isolate on one thread). ") +
    `The Worker's own workerd: ${f1(worker(me))} ms per request vs ${f1(worker(bare))} for bare Hono (${f2(v.workerRatio)}): with Postgres, ` +
    `Redis, wrangler's proxy and the client elsewhere, as in production, CPU-bound throughput would follow this ratio`;
  return { ...v, text };
}
