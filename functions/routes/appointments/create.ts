import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createAppointment } from "./queries.ts";
import { Appointment, AppointmentCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/appointments",
  tags: ["appointments"],
  summary: "Book an appointment: a meeting or call in your calendar, optionally with a customer",
  description:
    "Creates the calendar event (you own it); the database makes it an appointment in the same transaction. The customer must be one of this business's customers and the attendees its members (else 404).",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(AppointmentCreate) },
  responses: {
    201: json(Appointment, "The new appointment"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type", "payload_too_large"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const eventId = crypto.randomUUID();
    const appointment = await c.var.db.tx((q) => createAppointment(q, eventId, c.req.valid("json")));
    return c.json(appointment!, 201);
  });
