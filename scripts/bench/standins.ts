// The Upstash stand-ins for the bench, each in its own node process (their CLI entry points,
// scripts/upstash/redis-rest.ts and qstash.ts), not in the bench's: production's Upstash is
// remote, and in-process they would share one event loop with the load client, so every API
// request would wait on the client's process, and their CPU could not be told from the client's.
// The REST stand-in starts redis-server as its child (or uses REDIS_URL, as in dev and tests),
// in its process group, so stopping the group stops both.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { freePort } from "../lib/ports.ts";
import { root } from "./config.ts";
import { sleep, spawnManaged, type Managed } from "./processes.ts";
import { cleanup, stopping } from "./runtime.ts";

export interface StandIns {
  /** The Worker's Upstash bindings, straight to the stand-ins. */
  bindings: Record<string, string>;
  redisRest: Managed;
  qstash: Managed;
}

const secret = () => randomBytes(24).toString("base64url");

export async function startStandIns(work: string): Promise<StandIns> {
  const [restPort, qstashPort] = [await freePort(), await freePort()];
  const b = {
    UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${restPort}`,
    UPSTASH_REDIS_REST_TOKEN: secret(),
    QSTASH_URL: `http://127.0.0.1:${qstashPort}`,
    QSTASH_TOKEN: secret(),
    QSTASH_CURRENT_SIGNING_KEY: `sig_${secret()}`,
    QSTASH_NEXT_SIGNING_KEY: `sig_${secret()}`,
  };
  const start = (name: string, script: string, env: Record<string, string>) => {
    const child = spawnManaged(process.execPath, [join(root, "scripts/upstash", script)], { cwd: root, env: { ...process.env, ...env } });
    cleanup.add(`stop ${name}`, () => child.stop());
    return child;
  };
  const redisRest = start("the Upstash Redis REST stand-in", "redis-rest.ts", {
    UPSTASH_REDIS_REST_PORT: String(restPort),
    UPSTASH_REDIS_REST_TOKEN: b.UPSTASH_REDIS_REST_TOKEN,
  });
  const qstash = start("the QStash stand-in", "qstash.ts", {
    QSTASH_PORT: String(qstashPort),
    QSTASH_TOKEN: b.QSTASH_TOKEN,
    QSTASH_CURRENT_SIGNING_KEY: b.QSTASH_CURRENT_SIGNING_KEY,
    QSTASH_NEXT_SIGNING_KEY: b.QSTASH_NEXT_SIGNING_KEY,
    QSTASH_STATE_FILE: join(work, "qstash.json"), // not the dev stack's .data/qstash.json
  });
  await Promise.all([
    ready("the Upstash Redis REST stand-in", redisRest, () =>
      fetch(b.UPSTASH_REDIS_REST_URL, { method: "POST", headers: { authorization: `Bearer ${b.UPSTASH_REDIS_REST_TOKEN}` }, body: '["PING"]' }),
    ),
    ready("the QStash stand-in", qstash, () => fetch(`${b.QSTASH_URL}/v2/keys`, { headers: { authorization: `Bearer ${b.QSTASH_TOKEN}` } })),
  ]);
  return { bindings: b, redisRest, qstash };
}

/** Polls until `probe` answers 200; fails with the process's output if it exits or takes 30 s. */
async function ready(name: string, child: Managed, probe: () => Promise<Response>): Promise<void> {
  const deadline = performance.now() + 30_000;
  let last = "no answer";
  while (performance.now() < deadline) {
    stopping.signal.throwIfAborted();
    if (child.exited()) break;
    try {
      const res = await probe();
      if (res.ok) return void (await res.body?.cancel());
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} did not start (last answer: ${last}); its output:\n${child.output(15)}`);
}
