// SCIM discovery (RFC 7644 §4, RFC 7643 §5–7): what this service provider supports, its
// resource types and their schemas. IdPs read these when a connection is set up.
import { SCHEMAS, MAX_COUNT, MAX_OPERATIONS } from "../../lib/scim/constants.ts";
import { scimTx } from "../../lib/scim/db.ts";
import { baseUrl, listResponse, scimJson } from "../../lib/scim/respond.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { scimHandler } from "../../lib/scim/handler.ts";
import type { App } from "../../types.ts";
import { SCHEMA_DEFINITIONS } from "./schemas.ts";

const meta = (base: string, resourceType: string, path: string) => ({ resourceType, location: `${base}${path}` });

function serviceProviderConfig(base: string) {
  return {
    schemas: [SCHEMAS.serviceProviderConfig],
    documentationUri: "https://docs.ai-office.dev/scim",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: "oauthbearertoken", name: "Bearer token", description: "A per-business SCIM token from /v1/admin/scim/tokens", primary: true },
    ],
    maxOperations: MAX_OPERATIONS,
    meta: meta(base, "ServiceProviderConfig", "/ServiceProviderConfig"),
  };
}

function resourceTypes(base: string) {
  return [
    {
      schemas: [SCHEMAS.resourceType], id: "User", name: "User", endpoint: "/Users", description: "A person of the business",
      schema: SCHEMAS.user, schemaExtensions: [{ schema: SCHEMAS.enterprise, required: false }],
      meta: meta(base, "ResourceType", "/ResourceTypes/User"),
    },
    {
      schemas: [SCHEMAS.resourceType], id: "Group", name: "Group", endpoint: "/Groups", description: "A group; its mapping decides role and department",
      schema: SCHEMAS.group, meta: meta(base, "ResourceType", "/ResourceTypes/Group"),
    },
  ];
}

const schemas = (base: string) => SCHEMA_DEFINITIONS.map((s) => ({ ...s, schemas: [SCHEMAS.schema], meta: meta(base, "Schema", `/Schemas/${s.id}`) }));

export const register = (app: App) => {
  app.get("/scim/v2/ServiceProviderConfig", scimHandler(async (c) => {
    await scimTx(c, async () => undefined);
    return scimJson(serviceProviderConfig(baseUrl(c.req.url)));
  }));
  app.get("/scim/v2/ResourceTypes", scimHandler(async (c) => {
    await scimTx(c, async () => undefined);
    const all = resourceTypes(baseUrl(c.req.url));
    return listResponse(all, all.length, 1);
  }));
  app.get("/scim/v2/ResourceTypes/:id", scimHandler(async (c) => {
    await scimTx(c, async () => undefined);
    const found = resourceTypes(baseUrl(c.req.url)).find((r) => r.id === c.req.param("id"));
    if (!found) throw new ScimError(404, undefined, `no resource type ${c.req.param("id")}`);
    return scimJson(found);
  }));
  app.get("/scim/v2/Schemas", scimHandler(async (c) => {
    await scimTx(c, async () => undefined);
    const all = schemas(baseUrl(c.req.url));
    return listResponse(all, all.length, 1);
  }));
  app.get("/scim/v2/Schemas/:id", scimHandler(async (c) => {
    await scimTx(c, async () => undefined);
    const found = schemas(baseUrl(c.req.url)).find((s) => s.id === c.req.param("id"));
    if (!found) throw new ScimError(404, undefined, `no schema ${c.req.param("id")}`);
    return scimJson(found);
  }));
};
