// One signed POST of a webhook (Standard Webhooks: webhook-id, webhook-timestamp,
// webhook-signature, signed by the `standardwebhooks` package). The URL is checked against the
// SSRF guard again first; a refused URL sends nothing. Redirects are not followed (a 3xx is a
// failure: following one would let a public host bounce the request anywhere), the request has
// a deadline, and only the first bytes of the answer are kept.
import { Webhook } from "standardwebhooks";
import { checkOutboundUrl } from "../ssrf/index.ts";

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const SNIPPET_CHARS = 1024;

export type SendResult =
  | { outcome: "refused"; error: string }
  | { outcome: "delivered" | "failed"; status: number | null; latencyMs: number; error: string | null; snippet: string | null };

async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < SNIPPET_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, SNIPPET_CHARS);
}

export async function sendWebhook(input: { url: string; secret: string; webhookId: string; body: string; now: Date }): Promise<SendResult> {
  const verdict = checkOutboundUrl(input.url);
  if (!verdict.ok) return { outcome: "refused", error: `refused before sending: ${verdict.reason}` };
  const signature = new Webhook(input.secret).sign(input.webhookId, input.now, input.body);
  const started = Date.now();
  try {
    // The global fetch, looked up at call time: the only way out of the Worker.
    const res = await fetch(verdict.url.toString(), {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "AI-Office-Webhooks/1",
        "webhook-id": input.webhookId,
        "webhook-timestamp": String(Math.floor(input.now.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: input.body,
    });
    const snippet = await readSnippet(res).catch(() => null);
    const latencyMs = Date.now() - started;
    const ok = res.status >= 200 && res.status < 300;
    return {
      outcome: ok ? "delivered" : "failed",
      status: res.status,
      latencyMs,
      error: ok ? null : res.status >= 300 && res.status < 400 ? `redirect (${res.status}) not followed` : `HTTP ${res.status}`,
      snippet,
    };
  } catch (e) {
    const latencyMs = Date.now() - started;
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    return { outcome: "failed", status: null, latencyMs, error: timedOut ? `no answer within ${WEBHOOK_TIMEOUT_MS} ms` : `request failed: ${String(e).slice(0, 200)}`, snippet: null };
  }
}
