// CPU time per process group while a throughput target runs, from /proc (Linux; elsewhere every
// reading is zero and the report leaves the table out). A process's utime + stime in
// /proc/<pid>/stat is its total over all of its threads, in clock ticks. Read only at each slice's
// start and end, and only for the pids the memory sampler last found (its selectors), so a
// reading costs a few small file reads, not a scan of the process table.
//
// Postgres forks a backend per direct connection, and most live and die inside one slice: a group
// with a `parent` also reads that process's children list at each reading (a backend born
// mid-slice counts from then on) and its cutime + cstime (the time of children it has reaped), so
// a backend's time moves from "live" to "reaped" when it exits and is never lost or counted twice.
// The machine's own total (/proc/stat) shows what everything else on the shared cores took.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";

const TICK_MS = 1000 / clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100; // USER_HZ on every Linux build this runs on
  }
}

export interface CpuGroup {
  name: string;
  /** The group's processes now (a cheap lookup, e.g. the memory sampler's last scan). */
  pids(): number[];
  /** Also count this process's children, live and reaped (see the file comment). */
  parent?: number;
}

export interface CpuReading {
  at: number;
  /** Busy time of all cores (everything but idle and iowait), ms. */
  machineMs: number;
  /** CPU ms so far per group. */
  groups: Map<string, number>;
}

/** CPU ms spent while one target ran, summed over its slices. */
export interface CpuAccount {
  wallMs: number;
  machineMs: number;
  groups: Record<string, number>;
}

async function read(path: string): Promise<string> {
  return readFile(path, "utf8").catch(() => "");
}

/** utime + stime, and cutime + cstime (reaped children), in ms; undefined once the pid is gone. */
async function times(pid: number): Promise<{ own: number; reaped: number } | undefined> {
  const stat = await read(`/proc/${pid}/stat`);
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const f = stat.slice(close + 2).split(" "); // state ppid pgrp … utime(11) stime cutime cstime
  return { own: (Number(f[11]) + Number(f[12])) * TICK_MS, reaped: (Number(f[13]) + Number(f[14])) * TICK_MS };
}

async function children(pid: number): Promise<number[]> {
  return (await read(`/proc/${pid}/task/${pid}/children`)).split(" ").filter(Boolean).map(Number);
}

async function machineBusyMs(): Promise<number> {
  const line = (await read("/proc/stat")).split("\n")[0] ?? "";
  // cpu user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, x) => sum + (x ?? 0), 0);
  return Number.isFinite(busy) ? busy * TICK_MS : 0;
}

export class CpuMeter {
  readonly groups: CpuGroup[];

  constructor(groups: CpuGroup[]) {
    this.groups = groups;
  }

  async read(): Promise<CpuReading> {
    const groups = new Map<string, number>();
    for (const g of this.groups) {
      const pids = new Set(g.pids());
      if (g.parent !== undefined) for (const pid of await children(g.parent)) pids.add(pid);
      let ms = 0;
      for (const pid of pids) {
        const t = await times(pid);
        if (t) ms += t.own + (pid === g.parent ? t.reaped : 0);
      }
      groups.set(g.name, ms);
    }
    return { at: performance.now(), machineMs: await machineBusyMs(), groups };
  }

  static empty(): CpuAccount {
    return { wallMs: 0, machineMs: 0, groups: {} };
  }

  /** Adds what was spent between two readings to `into`. */
  static add(into: CpuAccount, from: CpuReading, to: CpuReading): void {
    into.wallMs += to.at - from.at;
    into.machineMs += to.machineMs - from.machineMs;
    for (const [name, ms] of to.groups) {
      // A group whose last process vanished reads 0: count nothing rather than a negative.
      into.groups[name] = (into.groups[name] ?? 0) + Math.max(0, ms - (from.groups.get(name) ?? ms));
    }
  }
}
