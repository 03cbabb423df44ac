// Bad input is a 400 problem naming the field, never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { createAppointment } from "../calendar/helpers.ts";

let t: SeededTenant;
let token: string;
beforeAll(async () => {
  t = await seedTenant();
  token = await t.employee.token();
});

const paths = (body: Record<string, unknown>) => (body.errors as { path: string }[]).map((e) => e.path);
const booking = (overrides: Record<string, unknown> = {}) => ({ kind: "meeting", title: "Check-up", start: "2030-01-08T09:00:00Z", end: "2030-01-08T10:00:00Z", ...overrides });

describe("POST /v1/appointments input", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a kind that is not an appointment", booking({ kind: "reminder" }), "body.kind"],
    ["a missing start", booking({ start: undefined }), "body.start"],
    ["end before start", booking({ end: "2030-01-08T08:00:00Z" }), "body.end"],
    ["a malformed customer id", booking({ customerId: "carl" }), "body.customerId"],
    ["a status on create", booking({ status: "completed" }), "body"],
    ["a too long title", booking({ title: "x".repeat(201) }), "body.title"],
  ];
  it.each(cases)("refuses %s (400, with the field path)", async (_, body, path) => {
    expect(paths(await expectProblem(await call("/v1/appointments", { token, body }), 400, "bad_request"))).toContain(path);
  });

  it("an unknown customer is 404", async () => {
    await expectProblem(await call("/v1/appointments", { token, body: booking({ customerId: crypto.randomUUID() }) }), 404, "not_found");
  });
});

describe("PATCH and cancel input", () => {
  it("refuses an empty patch, an unknown status or kind, and unknown fields", async () => {
    const appointment = await createAppointment(token, booking());
    for (const body of [{}, { status: "done" }, { kind: "blocked" }, { eventId: crypto.randomUUID() }, { start: "2030-01-08T11:00:00Z", end: "2030-01-08T10:00:00Z" }]) {
      await expectProblem(await call(`/v1/appointments/${appointment.id}`, { method: "PATCH", token, body }), 400, "bad_request");
    }
  });

  it("malformed ids are 400, unknown ids 404", async () => {
    await expectProblem(await call("/v1/appointments/nope", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/appointments/nope/cancel", { method: "POST", token }), 400, "bad_request");
    const id = crypto.randomUUID();
    await expectProblem(await call(`/v1/appointments/${id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${id}`, { method: "PATCH", token, body: { title: "x" } }), 404, "not_found");
    await expectProblem(await call(`/v1/appointments/${id}/cancel`, { method: "POST", token }), 404, "not_found");
  });
});

describe("GET /v1/appointments query", () => {
  it("refuses a bad status, range, page size or cursor", async () => {
    await expectProblem(await call("/v1/appointments?status=maybe", { token }), 400, "bad_request");
    expect(paths(await expectProblem(await call("/v1/appointments?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", { token }), 400, "bad_request"))).toEqual(["query.to"]);
    await expectProblem(await call("/v1/appointments?from=tomorrow", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/appointments?limit=201", { token }), 400, "bad_request");
    await expectProblem(await call("/v1/appointments?cursor=%5B%5D", { token }), 400, "bad_request");
  });
});
