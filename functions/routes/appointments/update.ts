import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { updateAppointment } from "./queries.ts";
import { Appointment, AppointmentPatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/appointments/{id}",
  tags: ["appointments"],
  summary: "Reschedule or edit an appointment (owner, attendee, or appointments.manage)",
  description:
    "Title, kind, times, notes and location change the calendar event (and so the appointment); customer and status change the appointment. Status cancelled also cancels the event. A cancelled appointment is not edited (409).",
  ...tenantScope,
  request: { params: IdParam, body: jsonBody(AppointmentPatch) },
  responses: {
    200: json(Appointment, "The appointment after the change"),
    ...tenantErrors("forbidden", "not_found", "conflict", "unsupported_media_type", "payload_too_large"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { outcome, appointment } = await c.var.db.tx((q) => updateAppointment(q, id, c.req.valid("json")));
    if (!outcome.visible || !appointment) throw new ApiError("not_found", `appointment ${id}`);
    if (outcome.cancelled) throw new ApiError("conflict", "the appointment is cancelled");
    if (!outcome.written) throw new ApiError("forbidden", "only the owner, an attendee or appointments.manage edits an appointment");
    return c.json(appointment, 200);
  });
