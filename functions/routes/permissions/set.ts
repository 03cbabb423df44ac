import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { setOverride } from "./queries.ts";
import { MemberPermissionParams, PermissionOverride, PermissionProfile } from "./schema.ts";

export const route = createRoute({
  method: "put",
  path: "/v1/members/{userId}/permissions/{permission}",
  tags: ["permissions"],
  summary: "Grant a permission beyond the member's role, or revoke one of its defaults (permissions.manage)",
  description:
    "Takes effect on the member's very next request, without a new token. Nobody changes their own permissions; only an owner changes an owner's; staff permissions cannot be given to customer users, nor portal.access to staff.",
  ...tenantScope,
  request: { params: MemberPermissionParams, body: jsonBody(PermissionOverride) },
  responses: {
    200: json(PermissionProfile, "The member's permissions after the change"),
    ...tenantErrors("forbidden", "not_found", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { userId, permission } = c.req.valid("param");
    const granted = c.req.valid("json").effect === "grant";
    const { visible, profile } = await c.var.db.tx((q) => setOverride(q, userId, permission, granted));
    if (!visible || !profile) throw new ApiError("not_found", `member ${userId}`);
    return c.json(profile, 200);
  });
