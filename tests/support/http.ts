// Requests through the Worker under test (workerd), as a client on the API host would send them.
import { exports } from "cloudflare:workers";
import { API_HOST } from "./config.ts";

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  host?: string;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  // Cloudflare always sets the client IP; a random one keeps per-IP limits per test.
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", `192.0.2.${Math.floor(Math.random() * 254) + 1}`);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const url = `https://${options.host ?? API_HOST}${path}`;
  const worker = (exports as unknown as { default: { fetch: (r: Request) => Promise<Response> } }).default;
  return worker.fetch(new Request(url, { method: options.method ?? (body ? "POST" : "GET"), headers, body }));
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
