// A few shared Redis connections for the REST bridge. Requests are stateless (like Upstash's
// REST API), so any batch may go to any connection; blocking commands get a connection of
// their own so they cannot stall everyone else's replies.
import { RespConnection, type RedisTarget } from "./connection.ts";
import type { RespValue } from "./resp.ts";

export interface PoolOptions {
  size?: number;
  connectTimeoutMs?: number;
  /** Upper bound for a non-blocking batch; Redis that stops answering fails the request. */
  commandTimeoutMs?: number;
}

const BLOCKING = new Set([
  "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop", "wait", "waitaof",
]);

export function isBlocking(command: readonly string[]): boolean {
  const name = command[0]?.toLowerCase() ?? "";
  if (BLOCKING.has(name)) return true;
  return (name === "xread" || name === "xreadgroup") && command.some((a) => a.toLowerCase() === "block");
}

export class RedisPool {
  private readonly target: RedisTarget;
  private readonly options: Required<PoolOptions>;
  private readonly slots: (Promise<RespConnection> | undefined)[];
  private closed = false;
  // Every connection opened, so close() reaches ones a racing re-open replaced in a slot.
  private readonly opened = new Set<RespConnection>();

  constructor(target: RedisTarget, options: PoolOptions = {}) {
    this.target = target;
    this.options = { size: options.size ?? 4, connectTimeoutMs: options.connectTimeoutMs ?? 3000, commandTimeoutMs: options.commandTimeoutMs ?? 15_000 };
    this.slots = new Array(this.options.size).fill(undefined);
  }

  async run(commands: readonly (readonly string[])[]): Promise<RespValue[]> {
    if (this.closed) throw new Error("the Redis pool is closed");
    if (commands.some(isBlocking)) return this.runDedicated(commands);
    const connection = await this.pick();
    return connection.send(commands, this.options.commandTimeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.slots.filter((s) => s !== undefined));
    for (const connection of this.opened) connection.close();
    this.opened.clear();
  }

  // Least-busy open connection; dead or never-opened slots are (re)opened on demand.
  private async pick(): Promise<RespConnection> {
    let best: RespConnection | undefined;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot === undefined) return this.openSlot(i);
      const connection = await slot.catch(() => undefined);
      if (!connection || !connection.isOpen) return this.openSlot(i);
      if (connection.inFlight === 0) return connection;
      if (!best || connection.inFlight < best.inFlight) best = connection;
    }
    return best ?? this.openSlot(0);
  }

  private openSlot(index: number): Promise<RespConnection> {
    const opening = RespConnection.open(this.target, { connectTimeoutMs: this.options.connectTimeoutMs });
    this.slots[index] = opening;
    opening.then(
      (connection) => this.track(connection),
      () => {
        if (this.slots[index] === opening) this.slots[index] = undefined;
      },
    );
    return opening;
  }

  private async runDedicated(commands: readonly (readonly string[])[]): Promise<RespValue[]> {
    const connection = this.track(await RespConnection.open(this.target, { connectTimeoutMs: this.options.connectTimeoutMs }));
    try {
      return await connection.send(commands);
    } finally {
      connection.close();
      this.opened.delete(connection);
    }
  }

  private track(connection: RespConnection): RespConnection {
    if (this.closed) connection.close();
    else this.opened.add(connection);
    return connection;
  }
}
