// Bad input is a 400 problem naming the field, never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { calendar, createEvent, meeting, WEEK } from "./helpers.ts";

let t: SeededTenant;
let token: string;
beforeAll(async () => {
  t = await seedTenant();
  token = await t.employee.token();
});

const paths = (body: Record<string, unknown>) => (body.errors as { path: string }[]).map((e) => e.path);

describe("GET /v1/calendar range", () => {
  it("requires from and to", async () => {
    expect(paths(await expectProblem(await call("/v1/calendar", { token }), 400, "bad_request"))).toEqual(expect.arrayContaining(["query.from", "query.to"]));
    expect(paths(await expectProblem(await call(`/v1/calendar?from=${WEEK.from}`, { token }), 400, "bad_request"))).toEqual(["query.to"]);
  });

  it("refuses to <= from", async () => {
    expect(paths(await expectProblem(await call(`/v1/calendar?from=${WEEK.to}&to=${WEEK.from}`, { token }), 400, "bad_request"))).toEqual(["query.to"]);
    expect(paths(await expectProblem(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.from}`, { token }), 400, "bad_request"))).toEqual(["query.to"]);
  });

  it("allows at most 92 days", async () => {
    expect((await calendar(token, { from: "2030-01-01T00:00:00Z", to: "2030-04-03T00:00:00Z" })).data).toEqual([]);
    const res = await call("/v1/calendar?from=2030-01-01T00:00:00Z&to=2030-04-03T00:00:01Z", { token });
    expect(paths(await expectProblem(res, 400, "bad_request"))).toEqual(["query.to"]);
  });

  it("refuses malformed times, limits and cursors", async () => {
    for (const query of ["from=yesterday&to=2030-01-02T00:00:00Z", "from=2030-01-01&to=2030-01-02", "from=2030-01-01T00:00:00&to=2030-01-02T00:00:00"]) {
      await expectProblem(await call(`/v1/calendar?${query}`, { token }), 400, "bad_request");
    }
    await expectProblem(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}&limit=1001`, { token }), 400, "bad_request");
    await expectProblem(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}&limit=0`, { token }), 400, "bad_request");
    await expectProblem(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}&cursor=bm9wZQ`, { token }), 400, "bad_request");
    await expectProblem(await call(`/v1/calendar?from=${WEEK.from}&to=${WEEK.to}&cursor=${btoa('["not a time","x"]')}`, { token }), 400, "bad_request");
  });
});

describe("POST /v1/calendar/events input", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["an unknown kind", meeting({ kind: "party" }), "body.kind"],
    ["a missing title", meeting({ title: undefined }), "body.title"],
    ["a blank title", meeting({ title: "   " }), "body.title"],
    ["end before start", meeting({ start: "2030-01-08T10:00:00Z", end: "2030-01-08T09:00:00Z" }), "body.end"],
    ["end equal to start", meeting({ start: "2030-01-08T10:00:00Z", end: "2030-01-08T10:00:00Z" }), "body.end"],
    ["an event longer than 14 days", meeting({ start: "2030-01-01T00:00:00Z", end: "2030-01-15T00:00:01Z" }), "body.end"],
    ["a guest without a valid email", meeting({ guests: [{ email: "not-an-email" }] }), "body.guests.0.email"],
    ["an unknown guest field", meeting({ guests: [{ email: "a@b.test", vip: true }] }), "body.guests.0"],
    ["an unknown field", meeting({ ownerId: crypto.randomUUID() }), "body"],
    ["a malformed attendee id", meeting({ attendeeIds: ["nope"] }), "body.attendeeIds.0"],
    ["a time without offset", meeting({ start: "2030-01-08T10:00:00" }), "body.start"],
  ];
  it.each(cases)("refuses %s (400, with the field path)", async (_, body, path) => {
    const problem = await expectProblem(await call("/v1/calendar/events", { token, body }), 400, "bad_request");
    expect(paths(problem)).toContain(path);
  });

  it("refuses a body that is not JSON (415) or is malformed JSON (400)", async () => {
    const form = await call("/v1/calendar/events", { token, method: "POST", rawBody: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    await expectProblem(form, 415, "unsupported_media_type");
    const broken = await call("/v1/calendar/events", { token, method: "POST", rawBody: "{not json", headers: { "content-type": "application/json" } });
    await expectProblem(broken, 400, "bad_request");
  });

  it("an unknown attendee is 404 and a duplicate attendee is harmless", async () => {
    await expectProblem(await call("/v1/calendar/events", { token, body: meeting({ attendeeIds: [crypto.randomUUID()] }) }), 404, "not_found");
    const event = await createEvent(token, meeting({ attendeeIds: [t.colleague.id, t.colleague.id, t.employee.id] }));
    expect(event.attendees).toEqual([t.colleague.id]);
  });

  it("the same Idempotency-Key with another body is 409", async () => {
    const headers = { "idempotency-key": crypto.randomUUID() };
    await createEvent(token, meeting(), headers);
    await expectProblem(await call("/v1/calendar/events", { token, body: meeting(), headers }), 409, "idempotency_conflict");
  });
});

describe("PATCH and DELETE /v1/calendar/events/{id} input", () => {
  it("refuses an empty patch, unknown fields and a malformed id", async () => {
    const event = await createEvent(token, meeting());
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: {} }), 400, "bad_request");
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { ownerId: t.manager.id } }), 400, "bad_request");
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { title: null } }), 400, "bad_request");
    await expectProblem(await call("/v1/calendar/events/not-a-uuid", { method: "PATCH", token, body: { title: "x" } }), 400, "bad_request");
    await expectProblem(await call("/v1/calendar/events/not-a-uuid", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/calendar/events/not-a-uuid", { method: "DELETE", token }), 400, "bad_request");
  });

  it("refuses a move that puts the end before the start (400, not 500)", async () => {
    const event = await createEvent(token, meeting({ start: "2030-01-08T10:00:00Z", end: "2030-01-08T11:00:00Z" }));
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { start: "2030-01-08T12:00:00Z" } }), 400, "bad_request");
    const problem = await expectProblem(
      await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { start: "2030-01-08T12:00:00Z", end: "2030-01-08T11:00:00Z" } }),
      400,
      "bad_request",
    );
    expect(paths(problem)).toEqual(["body.end"]);
  });

  it("a cancelled event is not edited (409) and its attendees stay", async () => {
    const event = await createEvent(token, meeting({ attendeeIds: [t.colleague.id] }));
    expect((await call(`/v1/calendar/events/${event.id}`, { method: "DELETE", token })).status).toBe(204);
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { title: "revived" } }), 409, "conflict");
    await expectProblem(await call(`/v1/calendar/events/${event.id}`, { method: "PATCH", token, body: { attendeeIds: [] } }), 409, "conflict");
  });

  it("an unknown id is 404", async () => {
    const id = crypto.randomUUID();
    await expectProblem(await call(`/v1/calendar/events/${id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${id}`, { method: "PATCH", token, body: { title: "x" } }), 404, "not_found");
    await expectProblem(await call(`/v1/calendar/events/${id}`, { method: "DELETE", token }), 404, "not_found");
  });
});
