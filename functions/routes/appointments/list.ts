import { createRoute } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listAppointments } from "./queries.ts";
import { AppointmentListQuery, AppointmentPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/appointments",
  tags: ["appointments"],
  summary: "Your appointments and those you attend (all of them with appointments.read_all)",
  description: "Ordered by start time; from/to select the appointments overlapping that range.",
  ...tenantScope,
  request: { query: AppointmentListQuery },
  responses: { 200: json(AppointmentPage, "A page of appointments, by start time"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, cursor, from, to, status } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listAppointments(q, { from, to, status, limit, after }));
    return c.json(paginate(rows, limit), 200);
  });
