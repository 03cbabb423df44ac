// Child processes and clean-up for the bench: wrangler dev in its own process group (so the
// node shim, wrangler's node and workerd all stop together), and a LIFO list of clean-up steps
// run exactly once on success, error, Ctrl-C or the global deadline.
import { spawn, type ChildProcess } from "node:child_process";

export interface Cleanup {
  add(name: string, fn: () => Promise<void> | void): void;
  run(): Promise<void>;
}

export function cleanupStack(log: (msg: string) => void): Cleanup {
  const steps: { name: string; fn: () => Promise<void> | void }[] = [];
  let running: Promise<void> | undefined;
  return {
    add: (name, fn) => void steps.push({ name, fn }),
    run() {
      running ??= (async () => {
        while (steps.length) {
          const step = steps.pop()!;
          try {
            await withTimeout(Promise.resolve(step.fn()), 15_000, `clean-up "${step.name}"`);
          } catch (e) {
            log(`clean-up "${step.name}" failed: ${(e as Error).message}`);
          }
        }
      })();
      return running;
    },
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Managed {
  child: ChildProcess;
  /** The last lines of its stdout and stderr (each cut at 400 characters), for error messages. */
  output(lines?: number): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Spawns a command as the leader of a new process group; stop() ends that group only. */
export function spawnManaged(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Managed {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    // eslint-disable-next-line no-control-regex
    for (const line of chunk.toString("utf8").replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 60) lines.shift();
    }
  };
  // Always drained, or a chatty child would block on a full pipe.
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", (e) => {
      lines.push(String(e));
      exited = true;
      resolve();
    });
  });
  // The group this child leads (detached: true). Linux does not reuse a pid while it still names
  // a live process group, so -pid reaches only what this child started.
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    if (child.pid === undefined) return false;
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  return {
    child,
    output: (n = 60) =>
      lines
        .slice(-n)
        .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
        .join("\n"),
    exited: () => exited,
    async stop() {
      signalGroup("SIGTERM");
      await Promise.race([exit, sleep(5_000)]);
      // wrangler's children (workerd) may outlive it briefly: wait for the group to empty.
      for (let i = 0; i < 30 && signalGroup(0); i++) await sleep(100);
      if (signalGroup(0)) signalGroup("SIGKILL");
    },
  };
}
