// An OpenAI-compatible chat-completions client over fetch (it runs in workerd and in Node):
// POST {baseUrl}/chat/completions with a bearer key, one assistant turn back, tool calls as data.
//
// Retries: a 429 (waiting the provider's Retry-After / retry-after-ms), a 5xx, a network failure
// or an attempt past its deadline is tried again with exponential backoff and jitter, within a
// bounded number of attempts AND a bounded total time; a Retry-After that does not fit in the time
// left ends the call at once as `rate_limited` with `retryAfterMs`, so the caller (a QStash
// delivery) can come back later. Any other 4xx, a malformed body and a refusal are final.
// Everything that can go wrong ends as an LlmError with a code from a closed set (errors.ts); the
// API key goes only into the Authorization header, never into a message or a log line.
import type { Logger } from "../../../shared/db/tx.ts";
import { LlmError, providerText, type LlmErrorCode } from "./errors.ts";
import type { ChatRequest, ChatResult, Usage } from "./types.ts";
import { BaseResp, ChatCompletion, ErrorBody, finishReason, requestBody, toolCallsOf, usageOf } from "./wire.ts";

export interface LlmConfig {
  /** e.g. https://api.minimax.io/v1, https://api.openai.com/v1, https://api.cloudflare.com/client/v4/accounts/{id}/ai/v1 */
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  /** One attempt's deadline, headers and body included. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** The whole call's deadline, waits between attempts included. */
  totalTimeMs?: number;
  /** Backoff before the n-th retry: between half and all of min(maxDelayMs, baseDelayMs·2^(n−1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface LlmDeps {
  /** Looked up at call time by default (tests in workerd may wrap the global). */
  fetch?: typeof fetch;
  random?: () => number;
  log?: Logger;
}

export interface LlmClient {
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatResult>;
}

export const LLM_DEFAULTS = { timeoutMs: 30_000, maxAttempts: 4, totalTimeMs: 90_000, baseDelayMs: 500, maxDelayMs: 8_000 } as const;
/** A larger answer is not a chat turn we can use; reading stops there. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Failure = { code: LlmErrorCode; message: string; retryable: boolean; status?: number; retryAfterMs?: number; usage?: Usage | null; refusal?: string };
type Outcome = { ok: true; result: Omit<ChatResult, "attempts"> } | ({ ok: false } & Failure);

export function createLlmClient(config: LlmConfig, deps: LlmDeps = {}): LlmClient {
  const o = { ...LLM_DEFAULTS, ...definedOnly(config) };
  const url = `${config.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const random = deps.random ?? Math.random;
  const key = config.apiKey ?? "";

  async function attempt(body: string, timeoutMs: number, callerSignal: AbortSignal | undefined): Promise<Outcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await (deps.fetch ?? fetch)(url, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json" },
        body,
        signal,
      });
      text = await readText(res);
    } catch (e) {
      if (callerSignal?.aborted) return { ok: false, code: "aborted", message: "the caller aborted the call", retryable: false };
      if (timeout.aborted) return { ok: false, code: "timeout", message: `no complete answer within ${timeoutMs} ms`, retryable: true };
      if (e instanceof BodyTooLarge) return { ok: false, code: "malformed_response", message: e.message, retryable: false };
      return { ok: false, code: "provider_error", message: `network error: ${providerText(String(e), key)}`, retryable: true };
    }
    return classify(res, text);
  }

  function classify(res: Response, text: string): Outcome {
    const status = res.status;
    const json = parseJson(text);
    const minimax = BaseResp.safeParse(json);
    if (minimax.success && minimax.data.base_resp.status_code !== 0) return minimaxFailure(status, minimax.data.base_resp, res.headers);
    if (status === 429) return { ok: false, code: "rate_limited", status, message: `429 ${errorText(json, text)}`, retryable: true, retryAfterMs: retryAfter(res.headers) };
    if (status >= 500) return { ok: false, code: "provider_error", status, message: `${status} ${errorText(json, text)}`, retryable: true, retryAfterMs: retryAfter(res.headers) };
    if (status >= 400) return { ok: false, code: "rejected", status, message: `${status} ${errorText(json, text)}`, retryable: false };
    if (status < 200 || status >= 300) return { ok: false, code: "provider_error", status, message: `unexpected status ${status}`, retryable: false };
    if (json === undefined) return { ok: false, code: "malformed_response", status, message: `the body is not JSON: ${providerText(text.slice(0, 80), key)}`, retryable: false };
    const parsed = ChatCompletion.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
      return { ok: false, code: "malformed_response", status, message: `not a chat completion (${where.join("; ")})`, retryable: false };
    }
    const completion = parsed.data;
    const choice = completion.choices[0]!;
    const usage = usageOf(completion.usage);
    const toolCalls = toolCallsOf(choice.message);
    const content = choice.message.content ?? null;
    const finish = finishReason(choice.finish_reason);
    if (choice.message.refusal) return { ok: false, code: "refusal", status, message: "the model refused", retryable: false, usage, refusal: choice.message.refusal };
    const filtered = completion.input_sensitive || completion.output_sensitive;
    if (finish === "content_filter" || (filtered && !content && toolCalls.length === 0)) {
      return { ok: false, code: "refusal", status, message: "the provider's content filter stopped the answer", retryable: false, usage, refusal: content ?? "" };
    }
    return { ok: true, result: { id: completion.id ?? null, model: completion.model ?? null, content, toolCalls, finishReason: finish, usage } };
  }

  // MiniMax's own codes (platform.minimax.io error codes): 1002 rate limit; 1000 unknown, 1001
  // timeout, 1024 internal (worth another try); 1026/1027 sensitive input/output; the rest
  // (1004 auth, 1008 balance, 2013 parameters, …) are the caller's to fix.
  function minimaxFailure(status: number, base: { status_code: number; status_msg?: string | null | undefined }, headers: Headers): Outcome {
    const message = `MiniMax ${base.status_code} ${providerText(base.status_msg ?? "", key)}`.trim();
    const code = base.status_code;
    if (code === 1002) return { ok: false, code: "rate_limited", status, message, retryable: true, retryAfterMs: retryAfter(headers) };
    if (code === 1000 || code === 1001 || code === 1024) return { ok: false, code: "provider_error", status, message, retryable: true };
    if (code === 1026 || code === 1027) return { ok: false, code: "refusal", status, message, retryable: false, refusal: base.status_msg ?? "" };
    return { ok: false, code: "rejected", status, message, retryable: false };
  }

  function errorText(json: unknown, text: string): string {
    const body = ErrorBody.safeParse(json);
    return providerText(body.success ? (body.data.error.message ?? String(body.data.error.code ?? "")) : text.slice(0, 200), key);
  }

  function backoff(retry: number): number {
    const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (retry - 1));
    return Math.round(cap / 2 + random() * (cap / 2));
  }

  return {
    model: config.model,
    async chat(request: ChatRequest): Promise<ChatResult> {
      if (!config.apiKey) throw new LlmError("not_configured", "no API key is configured (LLM_API_KEY)", { attempts: 0 });
      const body = JSON.stringify(requestBody(config.model, request));
      const deadline = Date.now() + o.totalTimeMs;
      let failure: Failure | undefined;
      let sent = 0;
      for (let n = 1; n <= o.maxAttempts; n++) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        sent = n;
        const outcome = await attempt(body, Math.min(o.timeoutMs, left), request.signal);
        if (outcome.ok) return { ...outcome.result, attempts: n };
        failure = outcome;
        if (!outcome.retryable || n === o.maxAttempts) throw toError(outcome, n);
        // A Retry-After is waited in full (plus a little jitter so callers do not come back together).
        const wait = outcome.retryAfterMs !== undefined ? outcome.retryAfterMs + Math.round(random() * 100) : backoff(n);
        if (Date.now() + wait >= deadline) throw toError(outcome, n);
        deps.log?.("warn", "model call retried", { attempt: n, code: outcome.code, status: outcome.status ?? null, waitMs: wait });
        const aborted = await sleep(wait, request.signal);
        if (aborted) throw new LlmError("aborted", "the caller aborted the call", { attempts: n, status: outcome.status });
      }
      // The total time ran out before another attempt could start.
      throw failure ? toError(failure, sent) : new LlmError("timeout", `no answer within ${o.totalTimeMs} ms`, { attempts: sent });
    },
  };
}

function toError(f: Failure, attempts: number): LlmError {
  const tries = attempts === 1 ? "" : ` (after ${attempts} attempts)`;
  return new LlmError(f.code, `${f.message}${tries}`, { attempts, status: f.status, retryAfterMs: f.retryAfterMs, usage: f.usage, refusal: f.refusal });
}

class BodyTooLarge extends Error {}

/** The whole body as text, refusing more than MAX_BODY_BYTES. */
async function readText(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** retry-after-ms (OpenAI) or Retry-After in seconds or as an HTTP date; undefined if absent or unreadable. */
export function retryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Waits ms; resolves true early if the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (aborted: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(aborted);
    };
    const onAbort = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
