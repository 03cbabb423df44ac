// A protocol-aware TCP proxy between the Worker and Postgres that counts round trips and can
// inject latency. Used by `npm run bench` (scripts/bench/index.ts); loopback only.
//
// Counting (per connection):
// - A "flight" starts when the client sends after the server has delivered anything to it since
//   the client's previous send (or it is the client's first send). The client cannot have waited
//   for an answer it has not received yet, so everything it writes in between is one flight.
// - Start-up flights: flights before the client has received the first ReadyForQuery ('Z'), i.e.
//   StartupMessage and the authentication exchange (for SCRAM: SASLInitialResponse, SASLResponse).
// - Query round trips: flights after that which carry query traffic: Query 'Q', Parse 'P',
//   Bind 'B', Execute 'E', Sync 'S', Describe 'D', Flush 'H', Close 'C', FunctionCall 'F'.
//   Terminate 'X' alone (pg's graceful close) is not a round trip.
// - Server-side state is tracked when the proxy delivers a chunk to the client (after any
//   injected delay), because "answered" means "the client could have seen the answer".
//
// Why the delay: pg in pipeline mode writes each query as its own socket write, and a local
// server can answer the first before the rest arrive (see /work/shared/NOTES.md). Then the client
// "speaks after the server" without ever having waited, and a naive counter sees 2-4 flights for
// what is one round trip. With ≥ 5 ms injected each way, every write of a pipelined batch reaches
// the proxy long before any answer can be delivered, so the count is exact. A count taken with
// no delay is only an upper bound.
//
// Delay: each chunk is forwarded `delayMs` after it arrived, per direction (RTT = 2 × delayMs).
// All chunks of a connection share one delay (chosen when it opens), so Node's timer lists
// (FIFO per duration) keep them in order. With `delayStartup: false` the delay starts only once
// the client has received the first ReadyForQuery, so latency then reflects query round trips
// only; the switch is 0 → delay, so order is still preserved.
//
// Target: where new connections go (the pooler or Postgres itself), switchable between requests,
// so one Worker is measured pooled and direct; each connection records its target.
import { createServer, connect, type Server, type Socket } from "node:net";
import { CANCEL_REQUEST, FrameReader, GSSENC_REQUEST, QUERY_TYPES, SSL_REQUEST, type Frame } from "./pg-wire.ts";

export interface ConnectionStats {
  id: number;
  /** performance.now() timestamps: accepted, ReadyForQuery delivered, first query sent, last answer delivered, both sides closed. */
  openedAt: number;
  readyAt?: number;
  firstQueryAt?: number;
  lastAnswerAt?: number;
  closedAt?: number;
  /** Client flights before the client received the first ReadyForQuery. */
  startupFlights: number;
  /** Client flights with query traffic after start-up: the round trips a request pays. */
  queryRoundTrips: number;
  /** Client messages before the first ReadyForQuery, in order ("startup", "p"…). */
  startupMessages: string;
  /** Server authentication requests during start-up (AuthenticationXXX codes: 0 ok, 3 cleartext, 5 md5, 10-12 SASL). */
  authCodes: number[];
  /** Client message types after start-up, in order, "|" between flights (e.g. "QPBDESQQ|X"). */
  clientMessages: string;
  /** The delay this connection was opened with. */
  delay: DelayConfig;
  /** The upstream port this connection was forwarded to. */
  targetPort: number;
  /** Set when the client received the first ReadyForQuery. */
  ready: boolean;
  /** Set if the stream could not be followed (TLS/GSS encryption, malformed frame). */
  opaque?: string;
}

export interface DelayConfig {
  /** One-way delay in ms added to every chunk in each direction (RTT = 2 × delayMs). */
  delayMs: number;
  /** false: no delay until the client has received the first ReadyForQuery. */
  delayStartup: boolean;
}

export interface PgProxy {
  port: number;
  /** Applies to connections opened from now on. */
  setDelay(config: DelayConfig): void;
  /** Upstream for connections opened from now on. */
  setTarget(port: number): void;
  /** Stats of every connection since the last reset (open ones included, still counting). */
  connections(): ConnectionStats[];
  openConnections(): number;
  /** Resolves once no connection is open, both sides closed (or after timeoutMs, default 10 s). */
  waitIdle(timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export async function startPgProxy(options: { targetPort: number; targetHost?: string; port?: number }): Promise<PgProxy> {
  const targetHost = options.targetHost ?? "127.0.0.1";
  let targetPort = options.targetPort;
  let delay: DelayConfig = { delayMs: 0, delayStartup: true };
  let stats: ConnectionStats[] = [];
  // Connections until both of their sockets have closed.
  const open = new Set<{ client: Socket; upstream: Socket }>();
  let nextId = 1;

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const config = { ...delay };
    const conn: ConnectionStats = {
      id: nextId++,
      openedAt: performance.now(),
      startupFlights: 0,
      queryRoundTrips: 0,
      startupMessages: "",
      authCodes: [],
      clientMessages: "",
      delay: config,
      targetPort,
      ready: false,
    };
    stats.push(conn);
    const upstream = connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
    const pair = { client, upstream };
    open.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);

    const fromClient = new FrameReader(true);
    const fromServer = new FrameReader(false);
    // Anything delivered to the client since its previous send (true before its first send).
    let answered = true;

    const delayFor = () => (config.delayStartup || conn.ready ? config.delayMs : 0);
    const later = (ms: number, fn: () => void) => (ms > 0 ? setTimeout(fn, ms) : fn());

    const onClientChunk = (chunk: Buffer) => {
      if (conn.opaque) return;
      let frames: Frame[];
      try {
        frames = fromClient.push(chunk);
      } catch (e) {
        conn.opaque = `client stream: ${(e as Error).message}`;
        return;
      }
      if (frames.length === 0) return; // continuation of a message already seen
      let query = false;
      // "|" marks where the client spoke again after an answer: the flights, visible in the detail.
      if (answered && conn.ready && conn.clientMessages !== "") conn.clientMessages += "|";
      for (const f of frames) {
        if (!conn.ready) conn.startupMessages += f.type ?? "(startup)";
        if (f.type === null) {
          if (f.code === SSL_REQUEST || f.code === GSSENC_REQUEST) {
            fromServer.expectSingleByte = true; // the StartupMessage follows, untyped again
          } else {
            fromClient.untyped = false; // StartupMessage or CancelRequest: typed from here on
            if (f.code === CANCEL_REQUEST) conn.clientMessages += "(cancel)";
          }
        } else if (conn.ready) {
          conn.clientMessages += f.type;
          if (QUERY_TYPES.has(f.type)) query = true;
        }
      }
      if (query && conn.firstQueryAt === undefined) conn.firstQueryAt = performance.now();
      if (answered) {
        if (!conn.ready) conn.startupFlights++;
        else if (query) conn.queryRoundTrips++;
      }
      answered = false;
    };

    const onServerChunkDelivered = (chunk: Buffer) => {
      answered = true;
      if (conn.ready) conn.lastAnswerAt = performance.now();
      if (conn.opaque) return;
      let frames: Frame[];
      try {
        frames = fromServer.push(chunk);
      } catch (e) {
        conn.opaque = `server stream: ${(e as Error).message}`;
        return;
      }
      for (const f of frames) {
        if (f.type === null && (f.code === 0x53 || f.code === 0x47)) conn.opaque = "encrypted (SSL/GSS) stream";
        if (f.type === "Z" && !conn.ready) {
          conn.ready = true;
          conn.readyAt = performance.now();
        }
        if (f.type === "R" && f.authCode !== undefined) conn.authCodes.push(f.authCode);
      }
    };

    client.on("data", (chunk: Buffer) => {
      const ms = delayFor(); // before parsing: this chunk was sent in the phase the client was in
      onClientChunk(chunk);
      later(ms, () => {
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on("data", (chunk: Buffer) => {
      later(delayFor(), () => {
        onServerChunkDelivered(chunk);
        if (!client.destroyed) client.write(chunk);
      });
    });
    client.on("end", () => later(delayFor(), () => upstream.end()));
    upstream.on("end", () => later(delayFor(), () => client.end()));

    let closed = 0;
    const finish = () => {
      if (++closed < 2) return;
      conn.closedAt = performance.now();
      open.delete(pair);
    };
    // A reset or error on either side tears both down (after the delay, like the data).
    client.on("error", () => later(delayFor(), () => upstream.destroy()));
    upstream.on("error", () => later(delayFor(), () => client.destroy()));
    client.on("close", () => {
      finish();
      later(delayFor(), () => upstream.destroy());
    });
    upstream.on("close", () => {
      finish();
      later(delayFor(), () => client.destroy());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    setDelay(config) {
      delay = { ...config };
    },
    setTarget(port) {
      targetPort = port;
    },
    connections: () => stats.map((s) => ({ ...s })),
    openConnections: () => open.size,
    async waitIdle(timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while (open.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    },
    reset() {
      stats = [];
    },
    close() {
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
