// A real Redis for the local stack and the tests: REDIS_URL when set, otherwise a throwaway
// redis-server on a free loopback port (no persistence, own temp dir). Never a mock, never a
// silent hang: a missing binary or an unreachable server is an error that says what to do.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "../../lib/ports.ts";
import { ping } from "./client.ts";

export interface EnsureRedisOptions {
  /** Overrides the REDIS_URL environment variable. */
  redisUrl?: string;
  /** Port for a spawned server (default: a free one). */
  port?: number;
  /** How long to wait for Redis to answer PING (default 10 s). */
  startTimeoutMs?: number;
}

export interface RunningRedis {
  url: string;
  /** Stops a server this call spawned; a no-op for REDIS_URL. */
  stop: () => Promise<void>;
}

export const REDIS_INSTALL_HINT =
  "install it (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) " +
  "or set REDIS_URL=redis://127.0.0.1:6379 to use a running Redis";

export async function ensureRedis(options: EnsureRedisOptions = {}): Promise<RunningRedis> {
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const external = options.redisUrl ?? process.env.REDIS_URL;
  if (external) {
    await ping(external, Math.min(timeoutMs, 5000)).catch((error: Error) => {
      throw new Error(`REDIS_URL=${redactUrl(external)} is not usable: ${error.message}`);
    });
    return { url: external, stop: async () => {} };
  }
  const binary = findOnPath("redis-server");
  if (!binary) throw new Error(`redis-server was not found on PATH and REDIS_URL is not set: ${REDIS_INSTALL_HINT}`);
  return spawnRedis(binary, options.port ?? (await freePort()), timeoutMs);
}

async function spawnRedis(binary: string, port: number, timeoutMs: number): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), "ai-office-redis-"));
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  // A crashed test run must not leave redis-server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    const early = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 50))]);
    if (early !== "running") {
      await stop();
      throw new Error(`redis-server exited (code ${early}) before accepting connections:\n${output.join("").slice(-2000)}`);
    }
    try {
      await ping(url, 1000);
      return { url, stop };
    } catch (error) {
      lastError = error as Error;
    }
  }
  await stop();
  throw new Error(`redis-server did not answer PING on ${url} within ${timeoutMs} ms (${lastError?.message ?? "no answer"}):\n${output.join("").slice(-2000)}`);
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
