// A webhook receiver for e2e tests: a local HTTP server that records what the Worker sent to a
// receiver host (routed here by worker-with-receivers.ts, the original URL in
// `x-e2e-original-url`) and answers as the test says (default 200 "ok").
import { createServer, type Server } from "node:http";

export interface Received {
  /** The URL the Worker fetched (a public-looking https URL). */
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface Answer {
  status: number;
  body?: string;
}

export interface E2EReceiver {
  url: string;
  /** Requests received so far, oldest first. */
  requests: () => Received[];
  /** How to answer the next requests (by the request). */
  answer: (fn: (r: Received) => Answer) => void;
  stop: () => Promise<void>;
}

export async function startReceiver(): Promise<E2EReceiver> {
  const received: Received[] = [];
  let answer: (r: Received) => Answer = () => ({ status: 200, body: "ok" });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const url = headers["x-e2e-original-url"] ?? "";
      delete headers["x-e2e-original-url"];
      const r: Received = { url, method: req.method ?? "", headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(r);
      let a: Answer;
      try {
        a = answer(r);
      } catch {
        a = { status: 500, body: "the test's answer threw" };
      }
      res.writeHead(a.status, { "content-type": "text/plain" }).end(a.body ?? "");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: () => [...received],
    answer: (fn) => {
      answer = fn;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
