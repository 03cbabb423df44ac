// One closed table of error codes: each maps once to an HTTP status and a title. Handlers throw
// ApiError; only the app's onError renders it, as RFC 9457 problem+json.

export const errors = {
  bad_request: { status: 400, title: "The request is invalid" },
  unauthorized: { status: 401, title: "A valid access token is required" },
  // An access token refused by /v1/*: one code per check that failed (the body's detail and the
  // WWW-Authenticate error_description say it in words; neither ever echoes the token).
  token_missing: { status: 401, title: "An access token is required" },
  token_malformed: { status: 401, title: "The access token is not a well-formed JWT" },
  token_unsupported_algorithm: { status: 401, title: "The access token's signing algorithm is not accepted" },
  token_unknown_key: { status: 401, title: "The access token's signing key is not known" },
  token_bad_signature: { status: 401, title: "The access token's signature does not verify" },
  token_expired: { status: 401, title: "The access token has expired" },
  token_not_yet_valid: { status: 401, title: "The access token is not valid yet" },
  token_too_old: { status: 401, title: "The access token was issued too long ago" },
  token_wrong_issuer: { status: 401, title: "The access token comes from another issuer" },
  token_wrong_audience: { status: 401, title: "The access token is meant for another audience" },
  token_missing_claim: { status: 401, title: "The access token lacks a required claim" },
  token_invalid_claim: { status: 401, title: "A claim of the access token is malformed" },
  token_no_tenant: { status: 401, title: "The access token names no active business" },
  forbidden: { status: 403, title: "You may not do this" },
  tenant_mismatch: { status: 403, title: "The token belongs to another tenant" },
  membership_inactive: { status: 403, title: "You are not an active member of this business" },
  not_found: { status: 404, title: "No such resource" },
  method_not_allowed: { status: 405, title: "This method is not allowed here" },
  conflict: { status: 409, title: "The resource changed or already exists" },
  idempotency_conflict: { status: 409, title: "This Idempotency-Key was used for another request" },
  last_owner: { status: 409, title: "A business must keep at least one active owner" },
  already_member: { status: 409, title: "This person is already a member of this business" },
  illegal_transition: { status: 409, title: "This change of status is not allowed from the current status" },
  // AI worker runs and approvals (issue 14).
  unknown_task: { status: 422, title: "The worker's kind has no such task" },
  invalid_task_input: { status: 422, title: "The input does not match the task's contract" },
  worker_not_active: { status: 409, title: "The AI worker is not active" },
  approval_void: { status: 409, title: "The execution policy changed since the approval was requested; nothing was executed" },
  approval_decided: { status: 409, title: "The approval was already decided the other way" },
  invitation_used: { status: 409, title: "The invitation was already accepted" },
  invitation_wrong_email: { status: 403, title: "The invitation was sent to another email address" },
  invitation_expired: { status: 410, title: "The invitation has expired" },
  invitation_revoked: { status: 410, title: "The invitation was revoked" },
  plan_limit_reached: { status: 409, title: "The plan's limit for this resource is reached" },
  verification_failed: { status: 400, title: "The verification code does not match" },
  verification_expired: { status: 410, title: "The verification code has expired; save the address again for a new one" },
  verification_locked: { status: 429, title: "Too many wrong codes; save the address again for a new one" },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The request body must be application/json" },
  rate_limited: { status: 429, title: "Too many requests" },
  quota_exceeded: { status: 429, title: "The plan's quota is used up" },
  internal: { status: 500, title: "Something went wrong on our side" },
  unavailable: { status: 503, title: "A service this request needs is unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errors;
export const errorCodes = Object.keys(errors) as ErrorCode[];
/** The codes of a refused access token (all 401). */
export type TokenErrorCode = Extract<ErrorCode, `token_${string}`>;
export const tokenErrorCodes = errorCodes.filter((c): c is TokenErrorCode => c.startsWith("token_"));

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { fieldErrors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail ?? errors[code].title, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.detail = detail;
    this.fieldErrors = options.fieldErrors;
    this.headers = options.headers;
  }

  get status(): number {
    return errors[this.code].status;
  }
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const ERROR_TYPE_BASE = "https://docs.ai-office.dev/errors/";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
}

export function problemBody(error: ApiError, requestId: string): Problem {
  const { status, title } = errors[error.code];
  return {
    type: `${ERROR_TYPE_BASE}${error.code}`,
    title,
    status,
    ...(error.detail ? { detail: error.detail } : {}),
    code: error.code,
    requestId,
    ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
  };
}
