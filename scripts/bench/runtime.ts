// What every part of the bench shares while it runs: the stop signal (aborted on Ctrl-C, error
// or the deadline: loops end, output stops), progress lines on stderr, the clean-up stack, the
// time left, and the failure tally.
import { DEADLINE_MS } from "./config.ts";
import type { LoadResult } from "./load.ts";
import { cleanupStack } from "./processes.ts";

export const stopping = new AbortController();
const started = performance.now();

export const elapsedSeconds = () => (performance.now() - started) / 1000;

/** Progress, on stderr (the report goes to stdout). */
export const status = (msg: string) => void (stopping.signal.aborted || console.error(`[bench ${elapsedSeconds().toFixed(1)}s] ${msg}`));

export const cleanup = cleanupStack((msg) => console.error(msg));

/** Milliseconds left before the deadline, less a margin for writing the report and clean-up. */
export const timeLeft = () => DEADLINE_MS - 25_000 - (performance.now() - started);

const failures: string[] = [];

/** Records a phase's failed requests (the first error of each), unless the bench is stopping. */
export function check(what: string, r: Pick<LoadResult, "errors" | "firstError">): void {
  if (r.errors === 0 || stopping.signal.aborted) return;
  const line = `${what}: ${r.errors} failed requests; first: ${r.firstError}`;
  failures.push(line);
  console.error(line);
}

export function fail(line: string): void {
  failures.push(line);
  console.error(line);
}

export const failureList = () => [...failures];
