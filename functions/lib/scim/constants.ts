// SCIM 2.0 names (RFC 7643, RFC 7644) used across the SCIM routes.
export const SCIM_CONTENT_TYPE = "application/scim+json";

export const SCHEMAS = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  enterprise: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  patch: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  serviceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
} as const;

/** Page size when the client names none, and the most one page holds (ServiceProviderConfig says so). */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;
/** Operations in one PATCH, and members named in one request. */
export const MAX_OPERATIONS = 1000;
