import { createRoute } from "@hono/zod-openapi";
import { json, userErrors, userScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectMyTenants } from "./queries.ts";
import { MyTenantList } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/me/tenants",
  tags: ["me"],
  summary: "The businesses the caller is an active member of",
  ...userScope,
  responses: { 200: json(MyTenantList, "The caller's tenants"), ...userErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const data = await c.var.db.tx((q) => selectMyTenants(q));
    return c.json({ data }, 200);
  });
