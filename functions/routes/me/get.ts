import { createRoute, type z } from "@hono/zod-openapi";
import type { Permission } from "../../../shared/schemas/common.ts";
import { json, userErrors, userScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectMe } from "./queries.ts";
import { Me } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["me"],
  summary: "The signed-in person, the tenant this token acts in (role, permissions), and settings",
  ...userScope,
  responses: { 200: json(Me, "The caller"), ...userErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await c.var.db.tx((q) => selectMe(q));
    const { tenant, next, permissions, ...settings } = row!;
    return c.json(
      {
        user: { id: c.var.auth.userId, email: c.var.auth.email },
        tenant,
        permissions: permissions as z.infer<typeof Permission>[],
        nextTenant: next,
        settings,
      },
      200,
    );
  });
