// An HTTP proxy between the Worker and the Upstash Redis REST stand-in that counts requests and
// round trips and can inject latency. Used by `npm run bench` (scripts/bench/index.ts); loopback
// only. The Redis counterpart of pg-proxy.ts.
//
// @upstash/redis speaks HTTP: one request per command (`POST /` with a JSON command array), or
// with auto-pipelining one `POST /pipeline` per batch of commands issued in the same tick (reads
// and writes go in separate batches, so one tick can make two concurrent requests). This proxy
// reads each request fully, waits `delayMs`, forwards it to the stand-in over a keep-alive
// connection, reads the answer fully, waits `delayMs` again and delivers it: RTT = 2 × delayMs
// per HTTP exchange. (TCP connection set-up is not delayed: the Worker's fetch pools
// connections, and so does Cloudflare's in production.)
//
// Counting, like pg-proxy.ts but per HTTP request instead of per protocol message:
// - A "flight" starts when a request arrives after some answer has been delivered since the
//   previous request arrived (or it is the first request since reset). A client cannot have
//   waited for an answer it has not received yet, so requests arriving in between were issued
//   together (concurrent) and share one round trip; a request sent after an answer came back
//   is a new, sequential round trip.
// - Flights are numbered across everything the proxy sees; the bench sends one API request at a
//   time and attributes the Redis requests arriving inside its window to it, so a request's
//   round trips are the distinct flight numbers in its window.
// - As with Postgres, the count is only exact with a delay: without one, the stand-in may answer
//   the first of two concurrent requests before the second reaches the proxy (a "naive" count,
//   reported separately).
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";

export interface RedisRequestStats {
  id: number;
  /** Sequential round-trip number (see the file comment): equal numbers were issued together. */
  flight: number;
  method: string;
  /** "/pipeline", "/multi-exec", "/" (one command) or a path command. */
  path: string;
  /** Lower-case command names in the body, in order ("evalsha", "hincrby", …). */
  commands: string[];
  /** performance.now(): request headers arrived, answer delivered to the client. */
  arrivedAt: number;
  answeredAt?: number;
  status?: number;
  delayMs: number;
}

export interface RedisProxy {
  /** Base URL for the Worker's UPSTASH_REDIS_REST_URL. */
  url: string;
  port: number;
  /** One-way delay for requests arriving from now on (RTT = 2 × delayMs). */
  setDelay(delayMs: number): void;
  /** Every request since the last reset (unanswered ones included). */
  requests(): RedisRequestStats[];
  /** Resolves once no request is waiting for its answer (or after timeoutMs, default 10 s). */
  waitIdle(timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) stay on their own hop; bodies are re-sent with a length.
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host", "content-length"]);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

function readAll(stream: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.destroy(new Error(`body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

/** Command names of an Upstash REST body: [cmd, …] or [[cmd, …], …]; the path for path commands. */
function commandNames(path: string, body: Buffer): string[] {
  try {
    const value: unknown = body.length ? JSON.parse(body.toString("utf8")) : undefined;
    const name = (c: unknown) => (Array.isArray(c) && typeof c[0] === "string" ? c[0].toLowerCase() : "?");
    if (path === "/pipeline" || path === "/multi-exec") return Array.isArray(value) ? value.map(name) : [];
    if (path === "/") return [name(value)];
  } catch {
    return ["(unparsed body)"];
  }
  return [decodeURIComponent(path.split("/")[1] ?? "").toLowerCase()];
}

export async function startRedisProxy(options: { target: string; port?: number }): Promise<RedisProxy> {
  const target = new URL(options.target);
  if (target.protocol !== "http:") throw new Error(`the Redis proxy forwards plain HTTP on loopback only, not ${target.protocol}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let delayMs = 0;
  let stats: RedisRequestStats[] = [];
  let nextId = 1;
  let flight = 0;
  // An answer was delivered since the previous request arrived (true before the first).
  let answered = true;
  let waiting = 0;
  const later = (ms: number, fn: () => void) => (ms > 0 ? setTimeout(fn, ms) : fn());

  const server = createServer((req, res) => {
    if (answered) {
      flight++;
      answered = false;
    }
    const url = new URL(req.url ?? "/", "http://proxy");
    const entry: RedisRequestStats = {
      id: nextId++,
      flight,
      method: req.method ?? "GET",
      path: url.pathname.replace(/\/+$/, "") || "/",
      commands: [],
      arrivedAt: performance.now(),
      delayMs,
    };
    stats.push(entry);
    waiting++;
    const ms = delayMs; // one delay per exchange, both ways
    let done = false;
    const deliver = (status: number, headers: Record<string, string | string[]>, body: Buffer) =>
      later(ms, () => {
        if (done) return;
        done = true;
        waiting--;
        answered = true;
        entry.answeredAt = performance.now();
        entry.status = status;
        if (res.destroyed) return;
        res.writeHead(status, { ...headers, "content-length": body.length });
        res.end(body);
      });
    const fail = (e: Error) => deliver(502, { "content-type": "application/json" }, Buffer.from(JSON.stringify({ error: `bench Redis proxy: ${e.message}` })));

    readAll(req).then((body) => {
      entry.commands = commandNames(entry.path, body);
      later(ms, () => {
        const upstream = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...endToEnd(req.headers), host: target.host, "content-length": String(body.length) },
            agent,
            timeout: 10_000,
          },
          (answer) => {
            readAll(answer).then((answerBody) => deliver(answer.statusCode ?? 502, endToEnd(answer.headers), answerBody), fail);
          },
        );
        upstream.on("timeout", () => upstream.destroy(new Error("the Redis stand-in did not answer in 10 s")));
        upstream.on("error", fail);
        upstream.end(body);
      });
    }, fail);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setDelay(ms) {
      delayMs = ms;
    },
    requests: () => stats.map((s) => ({ ...s, commands: [...s.commands] })),
    async waitIdle(timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while (waiting > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    },
    reset() {
      stats = [];
      answered = true;
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Per-window counts: the Redis requests that arrived inside [start, end] and their distinct
 * flights (round trips), plus the shapes ("POST /pipeline [evalsha hincrby …]") for the detail.
 */
export function inWindow(requests: RedisRequestStats[], [start, end]: [number, number]): { requests: RedisRequestStats[]; flights: number } {
  const inside = requests.filter((r) => r.arrivedAt >= start && r.arrivedAt <= end);
  return { requests: inside, flights: new Set(inside.map((r) => r.flight)).size };
}
