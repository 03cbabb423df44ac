// Small request helpers for the calendar and appointment suites (shared by both).
import { expect } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";

export const WEEK = { from: "2030-01-07T00:00:00Z", to: "2030-01-14T00:00:00Z" };

export interface EventBody {
  id: string;
  kind: string;
  title: string;
  notes: string | null;
  location: string | null;
  guests: { email: string; name?: string }[];
  ownerId: string;
  attendees: string[];
  start: string;
  end: string;
  localStart: string;
  localEnd: string;
  appointmentId: string | null;
  timezone: string;
  cancelledAt: string | null;
}

export type Entry = { id: string; start: string; end: string; localStart: string; localEnd: string; busy: boolean } & Partial<EventBody>;
export interface CalendarPage {
  timezone: string;
  data: Entry[];
  nextCursor: string | null;
}

export interface AppointmentBody {
  id: string;
  eventId: string;
  kind: string;
  title: string;
  status: string;
  start: string;
  end: string;
  ownerId: string;
  customerId: string | null;
  attendees: string[];
  notes: string | null;
  location: string | null;
  cancelledAt: string | null;
}

let minute = 0;
/** A meeting in WEEK with every detail filled in; each call a little later than the last. */
export function meeting(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  minute += 1;
  const start = new Date(Date.parse("2030-01-08T09:00:00Z") + minute * 60_000);
  return {
    kind: "meeting",
    title: `Meeting ${minute}`,
    notes: `notes-${crypto.randomUUID()}`,
    location: `room-${crypto.randomUUID()}`,
    guests: [{ email: `guest-${minute}@outside.test`, name: "Guest" }],
    start: start.toISOString(),
    end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    ...overrides,
  };
}

export async function createEvent(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<EventBody> {
  const res = await call("/v1/calendar/events", { token, body, headers });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as EventBody;
}

export async function calendar(token: string, range: { from: string; to: string } = WEEK, extra = ""): Promise<CalendarPage> {
  const res = await call(`/v1/calendar?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}${extra}`, { token });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as CalendarPage;
}

export async function createAppointment(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<AppointmentBody> {
  const res = await call("/v1/appointments", { token, body, headers });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as AppointmentBody;
}

export async function getJson<T>(path: string, token: string): Promise<T> {
  const res = await call(path, { token });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return json<T>(res);
}

/** Audit actions written for one resource, oldest first. */
export async function auditActions(tenantId: string, resourceId: string): Promise<{ action: string; actor_id: string | null }[]> {
  const res = await withAdmin((c) =>
    c.query("select action, actor_id from public.audit_log where tenant_id = $1 and resource_id = $2 order by id", [tenantId, resourceId]),
  );
  return res.rows as { action: string; actor_id: string | null }[];
}
