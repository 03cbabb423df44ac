// One RESP2 connection to a real redis-server, with pipelining: batches are written in one go
// and answered in order, so a MULTI…EXEC batch stays contiguous even on a shared connection.
// Every wait is bounded (connect and command timeouts) so a dead Redis fails fast, never hangs.
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { encodeCommand, RespError, RespParser, type RespValue } from "./resp.ts";

export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls: boolean;
}

export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid Redis URL ${JSON.stringify(url)}; expected redis://[user:password@]host:port[/db]`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error(`invalid Redis URL ${JSON.stringify(url)}: the scheme must be redis:// or rediss://`);
  }
  const db = parsed.pathname.replace(/^\//, "");
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: parsed.protocol === "rediss:",
  };
}

export interface ConnectOptions {
  connectTimeoutMs?: number;
}

interface Pending {
  expected: number;
  replies: RespValue[];
  resolve: (replies: RespValue[]) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export class RespConnection {
  private readonly socket: Socket;
  private readonly parser = new RespParser();
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;
  private readonly where: string;

  private constructor(socket: Socket, where: string) {
    this.socket = socket;
    this.where = where;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.fail(new Error(`Redis connection to ${where} failed: ${error.message}`)));
    socket.on("close", () => this.fail(new Error(`Redis connection to ${where} closed`)));
  }

  static async open(target: RedisTarget, options: ConnectOptions = {}): Promise<RespConnection> {
    const timeoutMs = options.connectTimeoutMs ?? 3000;
    const where = `${target.host}:${target.port}`;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = target.tls
        ? tlsConnect({ host: target.host, port: target.port, servername: target.host })
        : netConnect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`could not connect to Redis at ${where} within ${timeoutMs} ms (is redis-server running? check REDIS_URL)`));
      }, timeoutMs);
      s.once(target.tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        s.removeAllListeners("error");
        resolve(s);
      });
      s.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const hint = error.code === "ECONNREFUSED" ? " (nothing listens there: start redis-server or fix REDIS_URL)" : "";
        reject(new Error(`could not connect to Redis at ${where}: ${error.message}${hint}`));
      });
    });
    socket.setNoDelay(true);
    const connection = new RespConnection(socket, where);
    const handshake: string[][] = [];
    if (target.password !== undefined) {
      handshake.push(target.username ? ["AUTH", target.username, target.password] : ["AUTH", target.password]);
    }
    if (target.db !== undefined && target.db !== 0) handshake.push(["SELECT", String(target.db)]);
    if (handshake.length > 0) {
      const replies = await connection.send(handshake, timeoutMs).catch((error: Error) => {
        connection.close();
        throw error;
      });
      const failed = replies.find((r) => r instanceof RespError);
      if (failed) {
        connection.close();
        throw new Error(`Redis at ${where} rejected the connection setup: ${(failed as RespError).message}`);
      }
    }
    return connection;
  }

  get isOpen(): boolean {
    return this.failure === undefined;
  }

  get inFlight(): number {
    return this.pending.length;
  }

  /**
   * Writes the commands as one batch and resolves with their replies (errors are RespError
   * values, not rejections). A timeout destroys the connection: once a reply is late, the
   * request/reply pairing of every later batch on it can no longer be trusted.
   */
  send(commands: readonly (readonly (string | Buffer)[])[], timeoutMs?: number): Promise<RespValue[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const entry: Pending = { expected: commands.length, replies: [], resolve, reject };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.fail(new Error(`Redis at ${this.where} did not answer within ${timeoutMs} ms`));
          this.socket.destroy();
        }, timeoutMs);
      }
      this.pending.push(entry);
      this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    });
  }

  close(): void {
    this.fail(new Error(`Redis connection to ${this.where} closed by the bridge`));
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.parser.push(chunk);
    } catch (error) {
      this.fail(error as Error);
      this.socket.destroy();
      return;
    }
    for (const reply of replies) {
      const head = this.pending[0];
      if (!head) continue; // unsolicited (e.g. after a timeout): ignore
      head.replies.push(reply);
      if (head.replies.length === head.expected) {
        this.pending.shift();
        if (head.timer) clearTimeout(head.timer);
        head.resolve(head.replies);
      }
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.splice(0)) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(this.failure);
    }
  }
}
