import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, memberScope, tenantErrors } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { getMember } from "./queries.ts";
import { Member, UserIdParam } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/members/{userId}",
  tags: ["members"],
  summary: "One member of the active tenant (staff; a customer only themselves)",
  ...memberScope,
  request: { params: UserIdParam },
  responses: { 200: json(Member, "The member"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { userId } = c.req.valid("param");
    const member = await c.var.db.tx((q) => getMember(q, userId));
    if (!member) throw new ApiError("not_found", `member ${userId}`);
    return c.json(member, 200);
  });
