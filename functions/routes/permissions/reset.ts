import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { removeOverride } from "./queries.ts";
import { MemberPermissionParams, PermissionProfile } from "./schema.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/members/{userId}/permissions/{permission}",
  tags: ["permissions"],
  summary: "Remove a grant or revocation: the permission goes back to the role's default (permissions.manage)",
  description: "Succeeds when there was nothing to remove. The same limits as granting apply: not on yourself, an owner's only by an owner.",
  ...tenantScope,
  request: { params: MemberPermissionParams },
  responses: {
    200: json(PermissionProfile, "The member's permissions after the change"),
    ...tenantErrors("forbidden", "not_found"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { userId, permission } = c.req.valid("param");
    const { visible, allowed, profile } = await c.var.db.tx((q) => removeOverride(q, userId, permission));
    if (!visible || !profile) throw new ApiError("not_found", `member ${userId}`);
    if (!allowed) throw new ApiError("forbidden", "only holders of permissions.manage change other members' permissions");
    return c.json(profile, 200);
  });
