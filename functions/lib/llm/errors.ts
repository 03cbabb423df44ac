// The closed set of ways a model call can fail, as data the caller can branch on. A run step
// records `code` (and `status`, `attempts`); nothing here ever carries the API key or the request
// headers, and provider text is cut short with the key redacted from it.
import type { Usage } from "./types.ts";

export const LLM_ERROR_CODES = [
  /** No API key configured: nothing was sent. */
  "not_configured",
  /** Every attempt ran past its deadline (or the total time ran out). */
  "timeout",
  /** 429 (or MiniMax's "rate limit" code) on the last attempt, or a Retry-After past the time left. */
  "rate_limited",
  /** 5xx, a network failure, or a provider-side error code, still so after the last attempt. */
  "provider_error",
  /** A 4xx other than 429 (bad key, bad request, unknown model): never retried. */
  "rejected",
  /** A 2xx whose body is not JSON or not a chat completion. Not retried (the tokens may be spent). */
  "malformed_response",
  /** The model or the provider's content filter declined to answer. */
  "refusal",
  /** The caller's own signal aborted the call. */
  "aborted",
] as const;

export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];

export interface LlmErrorDetails {
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** How many requests were sent (0: none). */
  attempts: number;
  /** The provider's Retry-After on a final 429, in ms: when a later try (e.g. a QStash retry) may succeed. */
  retryAfterMs?: number;
  /** Tokens the provider reported even though the call failed (a refusal is billed). */
  usage?: Usage | null;
  /** The refusal text, for `refusal`. */
  refusal?: string;
}

export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly code: LlmErrorCode;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;
  readonly usage: Usage | null;
  readonly refusal: string | undefined;

  constructor(code: LlmErrorCode, message: string, details: LlmErrorDetails) {
    super(`${code}: ${message}`);
    this.code = code;
    this.status = details.status;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    this.usage = details.usage ?? null;
    this.refusal = details.refusal;
  }

  /** What a step log stores: no stack, no provider internals beyond the short message. */
  toJSON() {
    return { code: this.code, message: this.message, status: this.status ?? null, attempts: this.attempts, retryAfterMs: this.retryAfterMs ?? null };
  }
}

export const isLlmError = (e: unknown): e is LlmError => e instanceof LlmError;

/** Provider text for a message: one line, at most 300 characters, the key blanked out. */
export function providerText(text: string, apiKey: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const redacted = apiKey.length >= 4 ? oneLine.split(apiKey).join("[redacted]") : oneLine;
  return redacted.length > 300 ? `${redacted.slice(0, 300)}…` : redacted;
}
