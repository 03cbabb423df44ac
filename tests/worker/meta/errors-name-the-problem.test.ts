// Errors that name the problem (issue 11): the field of a duplicate or a dangling reference (an
// entry of a list by its index), 405 with Allow, and a timestamp without an offset, all from the
// one closed error table.
import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

describe("errors that name the problem", () => {
  it("a duplicate is 409 naming the field (name, slug), never echoing another row's values", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const dup = await expectProblem(await call("/v1/departments", { token, body: { name: "sales" } }), 409, "conflict");
    expect(dup.errors).toEqual([{ path: "body.name", message: "already exists" }]);
    const person = await createUser();
    const taken = await expectProblem(await call("/v1/tenants", { token: await hs256Token({ id: person.id }), body: { slug: t.slug, name: "Copycat" } }), 409, "conflict");
    expect(taken.errors).toEqual([{ path: "body.slug", message: "already exists" }]);
    expect(JSON.stringify(taken)).not.toContain(t.id);
  });

  it("a reference to a missing or other tenant's member is 404 naming the field", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await t.manager.token();
    for (const assignedTo of [crypto.randomUUID(), other.employee.id]) {
      const problem = await expectProblem(await call("/v1/tasks", { token, body: { title: "Dangling", assignedTo } }), 404, "not_found");
      expect(problem.errors).toEqual([{ path: "body.assignedTo", message: expect.stringContaining("does not exist") }]);
    }
  });

  it("an attendee list naming someone who is no member here is 404 naming each such entry by its index", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await t.owner.token();
    const message = expect.stringContaining("does not exist");
    const event = { kind: "meeting", title: "Planning", start: "2030-01-08T09:00:00Z", end: "2030-01-08T10:00:00Z" };
    for (const stranger of [other.employee.id, crypto.randomUUID()]) {
      const created = await expectProblem(
        await call("/v1/calendar/events", { token, body: { ...event, attendeeIds: [t.employee.id, stranger] } }),
        404,
        "not_found",
      );
      expect(created.errors).toEqual([{ path: "body.attendeeIds.1", message }]);
      expect(JSON.stringify(created)).not.toContain(stranger);
    }
    const several = await expectProblem(
      await call("/v1/calendar/events", { token, body: { ...event, attendeeIds: [other.owner.id, t.employee.id, crypto.randomUUID()] } }),
      404,
      "not_found",
    );
    expect(several.errors).toEqual([
      { path: "body.attendeeIds.0", message },
      { path: "body.attendeeIds.2", message },
    ]);

    const res = await call("/v1/calendar/events", { token, body: { ...event, attendeeIds: [t.employee.id] } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const patched = await expectProblem(
      await call(`/v1/calendar/events/${id}`, { method: "PATCH", token, body: { attendeeIds: [t.colleague.id, other.employee.id] } }),
      404,
      "not_found",
    );
    expect(patched.errors).toEqual([{ path: "body.attendeeIds.1", message }]);
    const unchanged = (await (await call(`/v1/calendar/events/${id}`, { token })).json()) as { attendees: string[] };
    expect(unchanged.attendees).toEqual([t.employee.id]);

    const booking = { kind: "call", title: "Call", start: "2030-01-09T09:00:00Z", end: "2030-01-09T09:30:00Z" };
    const appointment = await expectProblem(
      await call("/v1/appointments", { token, body: { ...booking, attendeeIds: [t.employee.id, other.employee.id] } }),
      404,
      "not_found",
    );
    expect(appointment.errors).toEqual([{ path: "body.attendeeIds.1", message }]);
  });

  it("a customer that is missing, hidden or another tenant's is 404 naming customerId", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    const token = await t.owner.token();
    for (const customerId of [crypto.randomUUID(), other.customerRecordId]) {
      const task = await expectProblem(await call("/v1/tasks", { token, body: { title: "Call back", customerId } }), 404, "not_found");
      expect(task.errors).toEqual([{ path: "body.customerId", message: expect.stringContaining("does not exist") }]);
      expect(JSON.stringify(task)).not.toContain(customerId);
    }
  });

  it("a method the path does not serve is 405 with Allow", async () => {
    const t = await seedTenant();
    const res = await call("/v1/tasks", { method: "PUT", token: await t.owner.token(), body: {} });
    await expectProblem(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    const item = await call(`/v1/tasks/${crypto.randomUUID()}`, { method: "POST", token: await t.owner.token(), body: {} });
    await expectProblem(item, 405, "method_not_allowed");
    expect(item.headers.get("allow")).toBe("DELETE, GET, HEAD, PATCH");
    await expectProblem(await call("/v1/no-such-thing", { token: await t.owner.token() }), 404, "not_found");
  });

  it("a timestamp without an offset says so", async () => {
    const t = await seedTenant();
    const problem = await expectProblem(
      await call("/v1/calendar/events", { token: await t.employee.token(), body: { kind: "meeting", title: "Local", start: "2030-01-08T09:00:00", end: "2030-01-08T10:00:00Z" } }),
      400,
      "bad_request",
    );
    expect(problem.errors).toEqual([{ path: "body.start", message: expect.stringContaining("UTC offset") }]);
  });
});
