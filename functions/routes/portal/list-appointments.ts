import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, portalScope, tenantErrors } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listPortalAppointments } from "./queries.ts";
import { PortalAppointmentPage, PortalAppointmentQuery } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/portal/appointments",
  tags: ["portal"],
  summary: "The customer's appointments, by start time (customers only)",
  ...portalScope,
  request: { query: PortalAppointmentQuery },
  responses: { 200: json(PortalAppointmentPage, "A page of appointments"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, from, to } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listPortalAppointments(q, { from, to }, { limit, after }));
    return c.json(paginate(rows, limit), 200);
  });
