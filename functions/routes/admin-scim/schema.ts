import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";

export const ScimToken = z
  .object({
    id: Uuid,
    name: z.string(),
    createdBy: Uuid.nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    rotatedFrom: Uuid.nullable().openapi({ description: "The token this one replaced (rotation)" }),
    rotatedAt: Timestamp.nullable().openapi({ description: "When this token was rotated; it works until expiresAt (the overlap)" }),
    revokedAt: Timestamp.nullable(),
    status: z.enum(["active", "expired", "revoked"]),
  })
  .openapi("ScimToken");

export const ScimTokenList = z.object({ items: z.array(ScimToken) }).openapi("ScimTokenList");

export const ScimTokenSecret = ScimToken.extend({
  token: z.string().openapi({ description: "The bearer token for the identity provider. Shown only in this response; only its SHA-256 is stored.", example: "scim_3q2-7wE…" }),
}).openapi("ScimTokenSecret");

export const ScimTokenRotated = ScimTokenSecret.extend({
  previous: ScimToken.openapi({ description: "The rotated token: it keeps working until its expiresAt (the overlap)" }),
}).openapi("ScimTokenRotated");

export const ScimTokenCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ description: "What the token is for (shown in the audit log)", example: "Okta production" }),
    expiresInDays: z.number().int().min(1).max(730).default(365).openapi({ description: "Validity in days (default 365)" }),
  })
  .openapi("ScimTokenCreate");

export const ScimTokenRotate = z
  .strictObject({
    overlapMinutes: z.number().int().min(0).max(10_080).default(60).openapi({ description: "How long the old token keeps working (default 60, at most 7 days)" }),
    expiresInDays: z.number().int().min(1).max(730).default(365),
  })
  .openapi("ScimTokenRotate");

export const TokenIdParam = z.object({
  tokenId: Uuid.openapi({ param: { name: "tokenId", in: "path" } }),
});

const Role = z.enum(["admin", "manager", "employee"]).openapi({ description: "IdP groups never make an owner" });

export const GroupMapping = z
  .object({
    id: Uuid,
    groupName: z.string().openapi({ example: "Sales-Team" }),
    role: Role,
    department: z.string().nullable().openapi({ description: "Department by name (created on first use); null: from another mapped group or the user's enterprise department", example: "Sales" }),
    updatedAt: Timestamp,
  })
  .openapi("ScimGroupMapping");

export const GroupMappingList = z.object({ items: z.array(GroupMapping) }).openapi("ScimGroupMappingList");

export const GroupMappingSet = z
  .strictObject({
    groupName: z.string().trim().min(1).max(200).openapi({ description: "The IdP group's displayName (matched case-insensitively)", example: "Sales-Team" }),
    role: Role,
    department: z.string().trim().min(1).max(100).nullable().default(null),
  })
  .openapi("ScimGroupMappingSet");

export const MappingIdParam = z.object({
  mappingId: Uuid.openapi({ param: { name: "mappingId", in: "path" } }),
});
