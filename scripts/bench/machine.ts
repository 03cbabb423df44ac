// The machine the numbers come from (cores, memory, load before and after), and peak memory of
// the measured processes, sampled from /proc: resident set (RSS) and, for Postgres, proportional
// set (PSS: shared pages split among the processes sharing them, so a sum over the backends does
// not count shared buffers once per backend). Linux only; elsewhere the table stays empty.
import { readdir, readFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  loadBefore: number[];
  loadAfter?: number[];
}

export function machine(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: totalmem() / 2 ** 30,
    os: `${type()} ${release()}`,
    node: process.version,
    loadBefore: loadavg(),
  };
}

interface Proc {
  pid: number;
  comm: string;
  ppid: number;
  pgrp: number;
}

async function processes(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const name of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const close = stat.lastIndexOf(")");
    if (close < 0) continue;
    const fields = stat.slice(close + 2).split(" "); // state ppid pgrp …
    out.push({ pid: Number(name), comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(fields[1]), pgrp: Number(fields[2]) });
  }
  return out;
}

async function kB(path: string, field: string): Promise<number> {
  const text = await readFile(path, "utf8").catch(() => "");
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

/** Which processes belong to a group, given the current process table. */
export type Selector = (p: Proc, all: Proc[]) => boolean;

export const inGroupNamed = (pgrp: number, comm: string): Selector => (p) => p.pgrp === pgrp && p.comm === comm;
export const processAndChildren = (pid: number | undefined): Selector => (p) => pid !== undefined && (p.pid === pid || p.ppid === pid);

export interface Peak {
  rssMiB: number;
  /** Only for groups watched with pss (reading smaps_rollup costs the kernel a page-table walk). */
  pssMiB?: number;
  processes: number;
}

/**
 * Samples every 2 s: RSS of each group's processes; every third sample it also re-reads the
 * process table (new backends, a restarted workerd) and PSS. Kept cheap, since it shares the
 * machine with what it measures (a /proc scan and smaps_rollup of large processes cost tens of ms).
 */
export class MemorySampler {
  readonly #groups = new Map<string, { select: Selector; pss: boolean; pids: number[] }>();
  readonly #peaks = new Map<string, Peak>();
  #timer: NodeJS.Timeout | undefined;
  #sampling = false;
  #count = 0;

  watch(name: string, select: Selector, options: { pss?: boolean } = {}): void {
    this.#groups.set(name, { select, pss: options.pss ?? false, pids: [] });
    this.#count = 0; // rescan on the next sample
  }

  start(intervalMs = 2_000): void {
    this.#timer = setInterval(() => void this.sample(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async sample(full = this.#count % 3 === 0): Promise<void> {
    if (this.#sampling || this.#groups.size === 0) return;
    this.#sampling = true;
    this.#count++;
    try {
      const all = full ? await processes() : [];
      for (const [name, group] of this.#groups) {
        if (full) group.pids = all.filter((p) => group.select(p, all)).map((p) => p.pid);
        let rss = 0;
        let pss = 0;
        let alive = 0;
        for (const pid of group.pids) {
          const r = await kB(`/proc/${pid}/status`, "VmRSS");
          if (r === 0) continue;
          alive++;
          rss += r;
          if (full && group.pss) pss += await kB(`/proc/${pid}/smaps_rollup`, "Pss");
        }
        if (alive === 0) continue;
        const peak = this.#peaks.get(name) ?? { rssMiB: 0, processes: 0 };
        peak.rssMiB = Math.max(peak.rssMiB, rss / 1024);
        peak.processes = Math.max(peak.processes, alive);
        if (full && group.pss) peak.pssMiB = Math.max(peak.pssMiB ?? 0, pss / 1024);
        this.#peaks.set(name, peak);
      }
    } finally {
      this.#sampling = false;
    }
  }

  /** The group's pids as of the last full sample (a lookup, no /proc read: for the CPU meter). */
  pids(name: string): number[] {
    return [...(this.#groups.get(name)?.pids ?? [])];
  }

  peaks(): Record<string, Peak> {
    return Object.fromEntries(this.#peaks);
  }
}
