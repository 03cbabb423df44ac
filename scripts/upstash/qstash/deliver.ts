// One delivery attempt of a message to its destination, with the headers QStash sends.
import { parseRetryAfter } from "./duration.ts";
import { signDelivery } from "./signing.ts";
import type { StoredMessage } from "./types.ts";

export interface AttemptResult {
  ok: boolean;
  status?: number;
  headers: Record<string, string[]>;
  body: Buffer;
  error?: string;
  /** 489 + `Upstash-NonRetryable-Error: true`: straight to the DLQ. */
  nonRetryable: boolean;
  /** From Retry-After / X-RateLimit-Reset*: the destination's own idea of when to retry. */
  retryAfterMs?: number;
}

const RETRY_AFTER_HEADERS = ["retry-after", "x-ratelimit-reset", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"];

export async function attemptDelivery(
  message: StoredMessage,
  options: { signingKey: string; timeoutMs: number; signal: AbortSignal; nowMs: number },
): Promise<AttemptResult> {
  const hasBody = message.method !== "GET" && message.method !== "HEAD";
  // The signature covers exactly the bytes sent (none for GET/HEAD).
  const body = hasBody ? Buffer.from(message.bodyBase64, "base64") : Buffer.alloc(0);
  const headers = new Headers(message.headers);
  headers.set("User-Agent", "Upstash-QStash");
  headers.set("Upstash-Message-Id", message.messageId);
  headers.set("Upstash-Retried", String(message.retried));
  if (message.scheduleId) headers.set("Upstash-Schedule-Id", message.scheduleId);
  if (message.callerIp) headers.set("Upstash-Caller-Ip", message.callerIp);
  // Signed with wall-clock time even when the server runs on an injected clock, so receivers
  // (which check exp/nbf against their own clock) accept it.
  headers.set("Upstash-Signature", await signDelivery({ signingKey: options.signingKey, url: message.url, body }));
  try {
    const response = await fetch(message.url, {
      method: message.method,
      headers,
      body: hasBody ? body : undefined,
      redirect: "manual",
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    const responseBody = Buffer.from(await response.arrayBuffer());
    const responseHeaders: Record<string, string[]> = {};
    response.headers.forEach((value, name) => {
      (responseHeaders[name] ??= []).push(value);
    });
    let retryAfterMs: number | undefined;
    for (const name of RETRY_AFTER_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) {
        retryAfterMs = parseRetryAfter(value, options.nowMs);
        if (retryAfterMs !== undefined) break;
      }
    }
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
      headers: responseHeaders,
      body: responseBody,
      nonRetryable: response.status === 489 && response.headers.get("upstash-nonretryable-error")?.toLowerCase() === "true",
      retryAfterMs,
    };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return {
      ok: false,
      headers: {},
      body: Buffer.alloc(0),
      error: cause ? `${(error as Error).message}: ${cause.message}` : (error as Error).message,
      nonRetryable: false,
    };
  }
}
