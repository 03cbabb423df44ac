import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { updateEvent } from "./queries.ts";
import { CalendarEventDetail, EventPatch } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/calendar/events/{id}",
  tags: ["calendar"],
  summary: "Edit or move an event (owner, attendee, or appointments.manage)",
  description:
    "Moving a meeting or call moves its appointment; turning it into a reminder or blocked time cancels the appointment, and back again restores it. Only the owner changes the attendee list. A cancelled event is not edited (409).",
  ...tenantScope,
  request: { params: IdParam, body: jsonBody(EventPatch) },
  responses: {
    200: json(CalendarEventDetail, "The event after the change"),
    ...tenantErrors("forbidden", "not_found", "conflict", "unsupported_media_type", "payload_too_large"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { outcome, event } = await c.var.db.tx((q) => updateEvent(q, id, c.req.valid("json")));
    if (!outcome.visible || !event) throw new ApiError("not_found", `event ${id}`);
    if (outcome.cancelled) throw new ApiError("conflict", "the event is cancelled");
    if (!outcome.written) throw new ApiError("forbidden", "only the owner, an attendee or appointments.manage edits an event");
    return c.json(event, 200);
  });
