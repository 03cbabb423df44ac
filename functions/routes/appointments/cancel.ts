import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { IdempotencyHeaders, json, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { cancelAppointment } from "./queries.ts";
import { Appointment } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/appointments/{id}/cancel",
  tags: ["appointments"],
  summary: "Cancel an appointment and its calendar event (owner, attendee, or appointments.manage)",
  description: "The appointment is kept with status cancelled. Cancelling a cancelled appointment changes nothing and answers the same.",
  ...tenantScopePost,
  request: { params: IdParam, headers: IdempotencyHeaders },
  responses: {
    200: json(Appointment, "The cancelled appointment"),
    ...tenantErrors("forbidden", "not_found", "idempotency_conflict"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { outcome, appointment } = await c.var.db.tx((q) => cancelAppointment(q, id));
    if (!outcome.visible || !appointment) throw new ApiError("not_found", `appointment ${id}`);
    if (!outcome.cancelled && !outcome.written) throw new ApiError("forbidden", "only the owner, an attendee or appointments.manage cancels an appointment");
    return c.json(appointment, 200);
  });
