import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { cancelEvent } from "./queries.ts";

export const route = createRoute({
  method: "delete",
  path: "/v1/calendar/events/{id}",
  tags: ["calendar"],
  summary: "Cancel an event (owner, attendee, or appointments.manage); its appointment is cancelled too",
  description: "Events are never deleted: the event keeps its history with a cancellation time. Cancelling again is a no-op.",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 204: { description: "The event is cancelled" }, ...tenantErrors("forbidden", "not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const outcome = await c.var.db.tx((q) => cancelEvent(q, id));
    assertVisible(outcome, `event ${id}`);
    if (!outcome.cancelled && !outcome.written) throw new ApiError("forbidden", "only the owner, an attendee or appointments.manage cancels an event");
    return c.body(null, 204);
  });
