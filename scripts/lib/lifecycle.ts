// The dev stack owns its children: they run in its process group, and it stops them (in reverse
// start order) on Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal closed) and when its parent
// dies (npm or the shell killed). Postgres treats SIGHUP as "reload", so without this a closed
// terminal left it running and the next start failed on its lock file.
type Stop = () => Promise<unknown> | void;

const stops: Stop[] = [];
let stopping = false;

/** Registers something to stop when the stack stops (last registered, first stopped). */
export function onStop(stop: Stop): void {
  stops.push(stop);
}

export async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const stop of stops.reverse()) await Promise.resolve().then(stop).catch(() => undefined);
  }
  process.exit(code);
}

export const isStopping = () => stopping;

export function ownChildren(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAll(0));
  // A closed terminal turns writes to stdout/stderr into EIO/EPIPE errors; they must not kill
  // the process before it has stopped its children.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stopAll(0);
  }, 1000).unref();
}
