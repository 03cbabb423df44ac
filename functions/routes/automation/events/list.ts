import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { decodeCursor, paginate } from "../../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import type { App } from "../../../types.ts";
import { listEvents, MAY_READ_AUTOMATION } from "./queries.ts";
import { DomainEventListQuery, DomainEventPage } from "./schema.ts";

const FORBIDDEN = "the event log is for members with automation.read";

export const route = createRoute({
  method: "get",
  path: "/v1/automation/events",
  tags: ["automation"],
  summary: "Domain events of the business, newest first (automation.read)",
  description: "What happened (appointment.created, task.completed, member.joined, …), written in the same transaction as the change. Webhooks deliver these; workflows trigger on them.",
  ...tenantScope,
  request: { query: DomainEventListQuery },
  responses: { 200: json(DomainEventPage, "A page of events, newest first"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { limit, cursor, type } = c.req.valid("query");
      const after = decodeCursor(cursor, 2);
      const [may, rows] = await c.var.db.tx((q) => Promise.all([q.one<{ allowed: boolean }>(MAY_READ_AUTOMATION), listEvents(q, { limit, after, type })]));
      if (!may?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      return c.json(paginate(rows, limit), 200);
    },
    permissionFirst(MAY_READ_AUTOMATION, FORBIDDEN),
  );
