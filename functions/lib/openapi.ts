// Building blocks every route definition uses, so the OpenAPI document is generated from the same
// schemas, scopes and error table the code runs on.
import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { errors, errorCodes, PROBLEM_CONTENT_TYPE, tokenErrorCodes, type ErrorCode } from "../../shared/errors.ts";
import { idempotency } from "../middleware/idempotency/index.ts";
import { tenantContext } from "../middleware/tenant-context/index.ts";
import type { AppConfig } from "../types.ts";

export const Problem = z
  .object({
    type: z.string().openapi({ example: "https://docs.ai-office.dev/errors/not_found" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

const BEARER_CHALLENGE = {
  description:
    'RFC 6750 challenge: `Bearer realm="ai-office"` without a token; otherwise with `error="invalid_token"` and the detail as `error_description`.',
  schema: { type: "string" as const },
};

/** Problem responses for the given codes, grouped by status, each listing its codes. */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus: Record<number, ErrorCode[]> = {};
  for (const code of new Set<ErrorCode>(["bad_request", "internal", ...codes])) {
    (byStatus[errors[code].status] ??= []).push(code);
  }
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, list]) => [
      status,
      {
        content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
        description: list.map((c) => `\`${c}\`: ${errors[c].title}`).join("; "),
        ...(list.some((c) => c.startsWith("token_")) ? { headers: { "WWW-Authenticate": BEARER_CHALLENGE } } : {}),
      },
    ]),
  ) as Record<number, { content: Record<string, { schema: typeof Problem }>; description: string }>;
}

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({
      description: "Makes the POST safe to retry: the first response is stored and replayed for 24 hours.",
      example: "4f1c2a7e-5d7b-4c1e-9a55-1d2f0c9b8e11",
    }),
});

const bearer = [{ bearerAuth: [] }];
/** Every /v1 route: a refused access token is a 401 naming the check (token_no_tenant is tenant routes' only). */
const userTokenCodes = tokenErrorCodes.filter((c) => c !== "token_no_tenant");
const tenantCodes: ErrorCode[] = [...tokenErrorCodes, "forbidden", "membership_inactive", "tenant_mismatch"];

/**
 * Tenant-scoped routes: the token must name a tenant the caller actively belongs to. Staff
 * routes refuse customers (403); member routes serve anyone in the tenant; portal routes serve
 * only customers.
 */
export const tenantScope = {
  security: bearer,
  middleware: [tenantContext("staff")] as MiddlewareHandler<AppConfig>[],
};
export const tenantScopePost = {
  security: bearer,
  middleware: [tenantContext("staff"), idempotency("tenant")] as MiddlewareHandler<AppConfig>[],
};
export const memberScope = {
  security: bearer,
  middleware: [tenantContext("any")] as MiddlewareHandler<AppConfig>[],
};
export const portalScope = {
  security: bearer,
  middleware: [tenantContext("portal")] as MiddlewareHandler<AppConfig>[],
};
/** User-level routes (/v1/me…, sign-up): any signed-in person, with or without a tenant. */
export const userScope = { security: bearer };
export const userScopePost = {
  security: bearer,
  middleware: [idempotency("user")] as MiddlewareHandler<AppConfig>[],
};

export const tenantErrors = (...codes: ErrorCode[]) => errorResponses(...tenantCodes, ...codes);
export const userErrors = (...codes: ErrorCode[]) => errorResponses(...userTokenCodes, ...codes);
