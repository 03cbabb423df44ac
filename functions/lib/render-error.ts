// The one place errors become responses: ApiError → problem+json from the closed table; a
// stored Idempotency-Key response is replayed as it was; framework exceptions map by status;
// anything else is `internal`, logged with its cause and never shown.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { IdempotentReplay } from "../../shared/db/errors.ts";
import { ApiError, PROBLEM_CONTENT_TYPE, problemBody, type ErrorCode } from "../../shared/errors.ts";
import type { AppConfig } from "../types.ts";

const byHttpStatus: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const code = byHttpStatus[err.status];
    // Hono's own messages for these (e.g. "Malformed JSON in request body") are safe to show.
    if (code) return new ApiError(code, err.message || undefined, { cause: err });
  }
  return new ApiError("internal", undefined, { cause: err });
}

export function renderError(err: unknown, c: Context<AppConfig>): Response {
  if (err instanceof IdempotentReplay) {
    return c.json(err.body as object, err.status as 200, { "Idempotent-Replayed": "true" });
  }
  const error = toApiError(err);
  if (error.status >= 500) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    c.var.log?.("error", "request failed", {
      code: error.code,
      error: cause ? `${cause.name}: ${cause.message}` : String(error.cause ?? error.message),
      pgCode: (cause as { code?: string } | undefined)?.code,
    });
  }
  const body = problemBody(error, c.var.requestId ?? "unknown");
  return c.body(JSON.stringify(body), error.status as 400, {
    "content-type": PROBLEM_CONTENT_TYPE,
    ...error.headers,
  });
}

/** No route: 405 with Allow when the path exists for other methods, else 404. */
export function renderNotFound(c: Context<AppConfig>, allowed: string[] = []): Response {
  if (allowed.length > 0) {
    return renderError(new ApiError("method_not_allowed", `${c.req.path} serves ${allowed.join(", ")}`, { headers: { Allow: allowed.join(", ") } }), c);
  }
  return renderError(new ApiError("not_found", `no route for ${c.req.method} ${c.req.path}`), c);
}
