// Throughput at a fixed concurrency, no injected delay: the targets take turns in 1-second
// slices (after a warm-up each), so drift in the machine's background load hits all of them
// alike. Every slice is bounded by time and count; a target that runs as Olivia also by her
// member budget (see routes.ts), and the result says when that bound, not the time, ended it.
// With a CPU meter, each slice is read at its start and once its work has settled (cpu.ts).
import { knobs } from "./config.ts";
import { CpuMeter, type CpuAccount } from "./cpu.ts";
import { load, percentile, type RequestSpec } from "./load.ts";
import type { Budget } from "./routes.ts";
import { check, stopping } from "./runtime.ts";
import type { Counters } from "./stack.ts";

export interface Target {
  label: string;
  make: () => RequestSpec;
  /** The Worker's Postgres upstream during this target's slices (the pooler or Postgres). */
  targetPort?: number;
  budget?: Budget;
}

export interface Throughput {
  label: string;
  rps: number;
  ok: number;
  errors: number;
  seconds: number;
  /** Latency under this load, ms. */
  p50: number;
  p99: number;
  /** Slices that ended at the budget, not the time. */
  bound: number;
  /** CPU ms per process group over this target's slices (zero without a meter). */
  cpu: CpuAccount;
}

export interface Metering {
  meter: CpuMeter;
  /** Resolves once the slice's tail (closing connections, waitUntil work) is done. */
  settle: () => Promise<void>;
}

const MAX_PER_SLICE = 10_000;

export async function throughput(c: Counters, targets: Target[], seconds: number, cpu?: Metering): Promise<Throughput[]> {
  const concurrency = knobs.concurrency;
  const prepare = async (t: Target) => {
    await c.pgProxy.waitIdle(3_000); // the previous slice's connections close after their responses
    if (t.targetPort !== undefined) c.pgProxy.setTarget(t.targetPort);
  };
  for (const t of targets) {
    await prepare(t);
    const maxRequests = t.budget ? Math.min(100, t.budget.allowance(1)) : 200;
    check(`${t.label} throughput warm-up`, await load(t.make, { concurrency, maxRequests, maxMs: 1_000, stop: stopping.signal }));
  }
  const totals = targets.map((t) => ({ label: t.label, ok: 0, errors: 0, seconds: 0, latencies: [] as number[], bound: 0, cpu: CpuMeter.empty() }));
  let budgetedLeft = seconds * targets.filter((t) => t.budget).length;
  for (let i = 0; i < seconds; i++) {
    for (const [k, t] of targets.entries()) {
      stopping.signal.throwIfAborted();
      await prepare(t);
      const maxRequests = t.budget ? Math.min(MAX_PER_SLICE, t.budget.allowance(budgetedLeft--)) : MAX_PER_SLICE;
      const before = await cpu?.meter.read();
      const run = await load(t.make, { concurrency, maxRequests, maxMs: 1_000, stop: stopping.signal });
      const total = totals[k]!;
      if (cpu && before) {
        // The tail belongs to this slice: the last requests' waitUntil work runs after their responses.
        await cpu.settle();
        CpuMeter.add(total.cpu, before, await cpu.meter.read());
      }
      check(`${t.label} throughput`, run);
      if (maxRequests < MAX_PER_SLICE && run.ok + run.errors >= maxRequests) total.bound++;
      total.ok += run.ok;
      total.errors += run.errors;
      total.seconds += run.seconds;
      total.latencies.push(...run.latencies);
    }
  }
  return totals.map((t) => ({
    label: t.label,
    rps: t.seconds > 0 ? t.ok / t.seconds : NaN,
    ok: t.ok,
    errors: t.errors,
    seconds: t.seconds,
    p50: percentile(t.latencies, 50),
    p99: percentile(t.latencies, 99),
    bound: t.bound,
    cpu: t.cpu,
  }));
}
