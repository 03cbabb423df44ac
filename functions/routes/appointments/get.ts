import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectAppointment } from "./queries.ts";
import { Appointment } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/appointments/{id}",
  tags: ["appointments"],
  summary: "One appointment (yours, attended, or with appointments.read_all)",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 200: json(Appointment, "The appointment"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const appointment = await c.var.db.tx((q) => selectAppointment(q, id));
    if (!appointment) throw new ApiError("not_found", `appointment ${id}`);
    return c.json(appointment, 200);
  });
