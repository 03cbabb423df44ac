// SCIM responses: application/scim+json, Location on creation, list envelopes.
import { SCHEMAS, SCIM_CONTENT_TYPE } from "./constants.ts";

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": SCIM_CONTENT_TYPE, ...headers } });
}

export function listResponse(resources: unknown[], totalResults: number, startIndex: number): Response {
  return scimJson({ schemas: [SCHEMAS.list], totalResults, itemsPerPage: resources.length, startIndex, Resources: resources });
}

/** The SCIM base URL of this request (the host the IdP called). */
export const baseUrl = (requestUrl: string) => `${new URL(requestUrl).origin}/scim/v2`;
