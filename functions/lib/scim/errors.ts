// SCIM error bodies (RFC 7644 §3.12): {schemas: [Error], status: "404", scimType?, detail}, as
// application/scim+json. Handlers throw ScimError (or an ApiError from the database layer); the
// SCIM middleware renders either one here, never a problem+json and never internals.
import { ApiError } from "../../../shared/errors.ts";
import { SCHEMAS, SCIM_CONTENT_TYPE } from "./constants.ts";

export type ScimType =
  | "invalidFilter" | "tooMany" | "uniqueness" | "mutability" | "invalidSyntax"
  | "invalidPath" | "noTarget" | "invalidValue" | "invalidVers" | "sensitive";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

const scimTypeOf: Record<string, ScimType> = { conflict: "uniqueness", bad_request: "invalidValue" };

/** The SCIM error for anything a SCIM request threw; an unexpected error says nothing more. */
export function toScimError(e: unknown): ScimError {
  if (e instanceof ScimError) return e;
  if (e instanceof ApiError) {
    if (e.code === "unauthorized") return new ScimError(401, undefined, "the SCIM token is unknown, expired or revoked");
    if (e.status >= 500) return new ScimError(e.status, undefined, e.code === "unavailable" ? "a service this request needs is unavailable; retry shortly" : "something went wrong on our side", e.headers);
    const detail = e.fieldErrors?.length ? e.fieldErrors.map((f) => `${f.path.replace(/^body\./, "")} ${f.message}`).join("; ") : (e.detail ?? e.message);
    return new ScimError(e.status, scimTypeOf[e.code], detail, e.headers);
  }
  return new ScimError(500, undefined, "something went wrong on our side");
}

export function scimErrorResponse(err: ScimError, requestId: string): Response {
  const body = { schemas: [SCHEMAS.error], status: String(err.status), ...(err.scimType ? { scimType: err.scimType } : {}), detail: err.detail };
  const headers = new Headers({ "content-type": SCIM_CONTENT_TYPE, "x-request-id": requestId, ...err.headers });
  if (err.status === 401) headers.set("www-authenticate", 'Bearer realm="ai-office-scim"');
  return new Response(JSON.stringify(body), { status: err.status, headers });
}
