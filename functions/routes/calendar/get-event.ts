import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { IdParam } from "../../../shared/schemas/common.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectEvent } from "./queries.ts";
import { CalendarEventDetail } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/calendar/events/{id}",
  tags: ["calendar"],
  summary: "One event with its details (yours, attended, or with appointments.read_all)",
  description: "An event you only see as a busy block is not yours to read: 404, as for any unknown id.",
  ...tenantScope,
  request: { params: IdParam },
  responses: { 200: json(CalendarEventDetail, "The event"), ...tenantErrors("not_found") },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const event = await c.var.db.tx((q) => selectEvent(q, id));
    if (!event) throw new ApiError("not_found", `event ${id}`);
    return c.json(event, 200);
  });
