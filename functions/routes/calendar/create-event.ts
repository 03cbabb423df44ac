import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders, json, jsonBody, tenantErrors, tenantScopePost } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { createEvent } from "./queries.ts";
import { CalendarEventDetail, EventCreate } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/calendar/events",
  tags: ["calendar"],
  summary: "Create a calendar event that you own",
  description:
    "A meeting or call also becomes an appointment (the database creates it with the event); reminders and blocked time stay calendar-only. Attendees must be members of this business.",
  ...tenantScopePost,
  request: { headers: IdempotencyHeaders, body: jsonBody(EventCreate) },
  responses: {
    201: json(CalendarEventDetail, "The new event"),
    ...tenantErrors("not_found", "idempotency_conflict", "unsupported_media_type", "payload_too_large"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const id = crypto.randomUUID();
    const event = await c.var.db.tx((q) => createEvent(q, id, c.req.valid("json")));
    return c.json(event!, 201);
  });
