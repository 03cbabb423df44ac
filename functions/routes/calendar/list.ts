import { createRoute, type z } from "@hono/zod-openapi";
import { decodeCursor, paginate } from "../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { listCalendar, type CalendarRow } from "./queries.ts";
import { CalendarPage, CalendarQuery, type CalendarEntry } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/calendar",
  tags: ["calendar"],
  summary: "The business's calendar for a time range: details of your events, busy blocks for the rest",
  description:
    "Every live event overlapping [from, to) (at most 92 days), ordered by start. Events you own or attend, or all of them with appointments.read_all, come with their details; any other event is only a busy block (id and times), redacted by the database. Times are UTC plus wall time in your time zone setting.",
  ...tenantScope,
  request: { query: CalendarQuery },
  responses: { 200: json(CalendarPage, "A page of the range, by start time"), ...tenantErrors() },
});

/** A row whose event is hidden has only nulls besides id and times: it becomes a busy block. */
function toEntry(row: Omit<CalendarRow, "_cursor">): z.infer<typeof CalendarEntry> {
  const { id, start, end, localStart, localEnd } = row;
  if (row.busy) return { id: id!, start, end, localStart, localEnd, busy: true };
  return {
    id: id!,
    kind: row.kind!,
    title: row.title!,
    notes: row.notes,
    location: row.location,
    guests: row.guests ?? [],
    ownerId: row.ownerId!,
    attendees: row.attendees ?? [],
    start,
    end,
    localStart,
    localEnd,
    busy: false,
    ...(row.appointmentId ? { appointmentId: row.appointmentId } : {}),
  };
}

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { from, to, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, 2);
    const rows = await c.var.db.tx((q) => listCalendar(q, { from, to, limit, after }));
    // The first row always carries the zone; an empty range is that one row with no event.
    const timezone = rows[0]!.timezone;
    const page = paginate(rows.filter((r) => r.id !== null), limit);
    return c.json({ timezone, data: page.data.map(toEntry), nextCursor: page.nextCursor }, 200);
  });
