// Maps what Postgres raised to the API's closed error table. Our own SQL raises with SQLSTATEs
// of class "AO" and the error code as message (and, to name the request's fields, DETAIL
// {"fields": [...]}); everything unexpected becomes `internal`, and its details stay in the logs.
import { ApiError, errors, type ErrorCode } from "../errors.ts";

export interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  constraint?: string;
  table?: string;
}

/** A stored Idempotency-Key response, surfaced by private.idempotency_claim(). */
export class IdempotentReplay extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super("idempotent replay");
    this.name = "IdempotentReplay";
  }
}

const isErrorCode = (s: string | undefined): s is ErrorCode => !!s && Object.hasOwn(errors, s);

const bySqlState: Record<string, ErrorCode> = {
  "23505": "conflict", // unique_violation
  "23503": "not_found", // foreign_key_violation: the referenced row does not exist (for you)
  "23514": "bad_request", // check_violation
  "23502": "bad_request", // not_null_violation
  "22P02": "bad_request", // invalid_text_representation
  "22007": "bad_request", // invalid_datetime_format
  "22008": "bad_request", // datetime_field_overflow
  "22023": "bad_request", // invalid_parameter_value
  "22001": "bad_request", // string_data_right_truncation
  "22021": "bad_request", // character_not_in_repertoire (e.g. NUL in text)
  "22P05": "bad_request", // untranslatable_character (e.g. \u0000 in jsonb)
  "42501": "forbidden", // insufficient_privilege, including an RLS WITH CHECK refusal
  "40001": "conflict", // serialization_failure
  "40P01": "conflict", // deadlock_detected
  "57014": "unavailable", // query_canceled (statement timeout)
};

const details: Partial<Record<ErrorCode, string>> = {
  conflict: "it already exists or changed meanwhile",
  not_found: "a resource it refers to does not exist",
  bad_request: "a value is out of range or malformed",
};

/**
 * The API field names of a unique or foreign key violation, from the constraint's default name
 * (`<table>_<col>[_<col>…]_key` / `_fkey`): the key's columns, less tenant_id (which no client
 * sends), in the API's camelCase. Postgres leaves the key's values out of the error under RLS,
 * and none would reach the response anyway. Custom-named constraints give no field.
 */
function keyFields(e: PgError): string[] {
  const m = /^(.+)_(key|fkey)$/.exec(e.constraint ?? "");
  if (!m || !e.table || !m[1]!.startsWith(`${e.table}_`)) return [];
  const columns = m[1]!.slice(e.table.length + 1).replace(/^tenant_id(_|$)/, "");
  // Several columns (`event_id_user_id`) cannot be told apart from one; name none then.
  if (!columns || /_id_/.test(columns)) return [];
  return [columns.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())];
}

/** Body fields our own SQL names in a raise's DETAIL: `{"fields": ["attendeeIds.1"]}`. */
function raisedFields(e: PgError): string[] {
  if (!e.detail?.startsWith("{")) return [];
  try {
    const fields = (JSON.parse(e.detail) as { fields?: unknown }).fields;
    return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === "string") : [];
  } catch {
    return [];
  }
}

const fieldMessages: Partial<Record<ErrorCode, string>> = {
  conflict: "already exists",
  not_found: "refers to something that does not exist (or is not yours)",
};

/** The problem naming each refused body field (`body.attendeeIds.1`), with one message for all. */
function fieldProblem(code: ErrorCode, fields: string[], cause: unknown): ApiError {
  const message = fieldMessages[code] ?? "is not accepted";
  return new ApiError(code, `${fields.join(", ")} ${message}`, {
    cause,
    fieldErrors: fields.map((f) => ({ path: `body.${f}`, message })),
  });
}

export function isPgError(e: unknown): e is PgError & Error {
  return e instanceof Error && typeof (e as PgError).code === "string";
}

/** True for the errors Postgres returns for statements after the first failure in a transaction. */
export const isAbortedTransaction = (e: unknown) => isPgError(e) && e.code === "25P02";

export function toApiError(e: unknown): Error {
  if (e instanceof ApiError || e instanceof IdempotentReplay) return e;
  if (!isPgError(e)) return new ApiError("unavailable", "the database is unreachable", { cause: e });
  const code = e.code!;
  if (code === "AO200") {
    const stored = JSON.parse(e.detail ?? "{}") as { status: number; body: unknown };
    return new IdempotentReplay(stored.status, stored.body);
  }
  if (code.startsWith("AO")) {
    if (isErrorCode(e.message)) {
      const fields = raisedFields(e);
      return fields.length ? fieldProblem(e.message, fields, e) : new ApiError(e.message, undefined, { cause: e });
    }
    const fallback: ErrorCode = code === "AO404" ? "not_found" : code === "AO409" ? "conflict" : "forbidden";
    return new ApiError(fallback, e.message, { cause: e });
  }
  if (code === "23505" || code === "23503") {
    const fields = keyFields(e);
    if (fields.length) return fieldProblem(code === "23505" ? "conflict" : "not_found", fields, e);
  }
  // Class 22 (data exception: a value out of range or malformed, e.g. a forged cursor's
  // timestamp) is always about the input.
  const mapped = bySqlState[code] ?? (code.startsWith("22") ? "bad_request" : undefined);
  if (mapped) return new ApiError(mapped, details[mapped], { cause: e });
  return new ApiError("internal", undefined, { cause: e });
}
