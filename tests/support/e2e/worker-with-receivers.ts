// The API Worker as `wrangler dev` runs it, started through wrangler's programmatic API
// (unstable_startWorker) so that one dev-only runtime option can be set: `outboundService`, the
// workerd network every global fetch() of the Worker goes out through. Requests to a receiver
// host (a public-looking name under E2E_RECEIVER_SUFFIX) are handed to the test's local receiver
// (E2E_RECEIVER_URL) with the original URL in `x-e2e-original-url`; everything else goes out
// unchanged. Nothing in the Worker's code changes: the SSRF guard still judges the public-looking
// URL, and a deployed Worker has no such option (it exists only in the local runtime), so this
// cannot be turned on in production.
//
// Run as a child process (Node ≥ 22, like wrangler), in its own process group; configured by
// E2E_WORKER (JSON: port, inspectorPort, persistTo, vars) and the receiver variables; the
// Hyperdrive connection string comes from CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE
// as for `wrangler dev`. SIGTERM disposes the Worker and exits.
import { unstable_startWorker } from "wrangler";

interface Config {
  port: number;
  inspectorPort: number;
  persistTo: string;
  vars: Record<string, string>;
}

const config = JSON.parse(process.env.E2E_WORKER ?? "{}") as Config;
const suffix = process.env.E2E_RECEIVER_SUFFIX ?? "";
const receiver = process.env.E2E_RECEIVER_URL ?? "";
if (!suffix.startsWith(".") || !receiver) throw new Error("E2E_RECEIVER_SUFFIX (.name) and E2E_RECEIVER_URL are required");

const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]);

const worker = await unstable_startWorker({
  config: "wrangler.toml",
  bindings: Object.fromEntries(Object.entries(config.vars).map(([k, v]) => [k, { type: "plain_text", value: v }])),
  dev: {
    server: { hostname: "127.0.0.1", port: config.port },
    inspector: { port: config.inspectorPort },
    persist: config.persistTo,
    watch: false,
    logLevel: "warn",
    outboundService: async (request: Request) => {
      const url = new URL(request.url);
      if (!url.hostname.endsWith(suffix)) return fetch(request.url, request);
      try {
        const headers = new Headers();
        for (const [k, v] of request.headers) if (!HOP_BY_HOP.has(k)) headers.set(k, v);
        headers.set("x-e2e-original-url", request.url);
        const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
        return await fetch(receiver, { method: request.method, headers, body, redirect: "manual" });
      } catch (e) {
        console.error(`[e2e receiver route] ${request.url}: ${String(e)}`);
        throw e;
      }
    },
  },
});
await worker.ready;

const stop = async () => {
  await worker.dispose().catch(() => undefined);
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
