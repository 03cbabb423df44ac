// Run settings from the environment. Inside workerd only Vite's `VITE_*` variables arrive
// (import.meta.env); FUZZ_SEED itself is read too wherever the runtime exposes it.
const viteEnv = (import.meta as unknown as { env?: Record<string, string | undefined> }).env ?? {};
const processEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

/** A positive integer setting, e.g. FUZZ_RUNS, from VITE_FUZZ_RUNS or FUZZ_RUNS. */
export function fuzzSetting(name: string): number | undefined {
  const raw = viteEnv[`VITE_${name}`] ?? viteEnv[name] ?? processEnv[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not ${JSON.stringify(raw)}`);
  return n;
}

/** The run's seed: FUZZ_SEED (or VITE_FUZZ_SEED) to replay a run, otherwise random. */
export function fuzzSeed(): number {
  return fuzzSetting("FUZZ_SEED") ?? Math.floor(Math.random() * 0x7fffffff);
}
