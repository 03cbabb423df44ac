// A real HTTP destination for QStash conformance tests: records every request (raw body,
// headers, arrival time) and answers with a per-path scripted status sequence.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { closeServer, listen, readBody } from "../../../scripts/upstash/shared/http.ts";

export interface Received {
  method: string;
  /** Full URL as the sender addressed it (what the signature's `sub` must equal). */
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export type Answer = number | { status: number; headers: Record<string, string> };

export interface Destination {
  base: string;
  received: Received[];
  /** Requests to `path` answer these statuses (optionally with headers) in turn, then 200. */
  script: (path: string, answers: Answer[]) => void;
  on: (path: string) => Received[];
  /** Resolves when `count` requests reached `path`; rejects after `timeoutMs`. */
  waitFor: (path: string, count: number, timeoutMs?: number) => Promise<Received[]>;
  close: () => Promise<void>;
}

export async function startDestination(): Promise<Destination> {
  const received: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const waiters = new Set<() => void>();
  const server = createServer(async (req, res) => {
    const body = (await readBody(req)).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    received.push({ method: req.method ?? "", url: `${base}${req.url}`, path, headers: req.headers, body, receivedAt: Date.now() });
    for (const wake of waiters) wake();
    const answer = scripts.get(path)?.shift() ?? 200;
    const { status, headers } = typeof answer === "number" ? { status: answer, headers: {} } : answer;
    res.writeHead(status, { "content-type": "text/plain", ...headers }).end(status === 200 ? "ok" : "try again");
  });
  const port = await listen(server, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  const on = (path: string) => received.filter((r) => r.path === path);
  return {
    base,
    received,
    script: (path, answers) => scripts.set(path, [...answers]),
    on,
    waitFor: (path, count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (on(path).length < count) return;
          cleanup();
          resolve(on(path));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} request(s) to ${path} within ${timeoutMs} ms, got ${on(path).length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () => closeServer(server),
  };
}
