import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectProfile } from "./queries.ts";
import { MemberParam, PermissionProfile } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/members/{userId}/permissions",
  tags: ["permissions"],
  summary: "A member's permissions: role defaults, grants, revocations, effective (permissions.manage, or yourself)",
  ...tenantScope,
  request: { params: MemberParam },
  responses: { 200: json(PermissionProfile, "The member's permissions"), ...tenantErrors("forbidden", "not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { userId } = c.req.valid("param");
    const row = await c.var.db.tx((q) => selectProfile(q, userId));
    if (!row) throw new ApiError("not_found", `member ${userId}`);
    const { allowed, ...profile } = row;
    if (!allowed) throw new ApiError("forbidden", "only holders of permissions.manage see other members' permissions");
    return c.json(profile, 200);
  });
