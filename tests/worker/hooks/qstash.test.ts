import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver, qstashSignature } from "../../support/qstash.ts";
import { seedTenant } from "../../support/seed.ts";

async function seedAppointment() {
  const t = await seedTenant();
  const eventId = crypto.randomUUID();
  const startsAt = new Date(Date.now() + 3 * 3600_000);
  startsAt.setUTCMilliseconds(0);
  await withAdmin((c) =>
    c.query(
      `insert into public.calendar_events (id, tenant_id, kind, title, starts_at, ends_at, owner_id)
       values ($1, $2, 'meeting', 'Check-up', $3, $3::timestamptz + interval '30 minutes', $4)`,
      [eventId, t.id, startsAt.toISOString(), t.employee.id],
    ),
  );
  const appointmentId = (await withAdmin((c) => c.query("select id from public.appointments where event_id = $1", [eventId]))).rows[0]!.id as string;
  return { t, eventId, appointmentId, startsAt: startsAt.toISOString() };
}

const deliveries = async (appointmentId: string) =>
  (await withAdmin((c) => c.query("select offset_minutes from public.reminder_deliveries where appointment_id = $1 order by 1", [appointmentId]))).rows.map((r) => r.offset_minutes as number);

describe("QStash receiver", () => {
  it("runs a signed job, and the same message delivered three times (interleaved with another) has one effect", async () => {
    const { t, appointmentId, startsAt } = await seedAppointment();
    const a = { tenantId: t.id, appointmentId, offsetMinutes: 60, startsAt };
    const b = { ...a, offsetMinutes: 15 };
    const outcomes = [];
    for (const [payload, id] of [[a, "msg-a"], [b, "msg-b"], [a, "msg-a"], [a, "msg-a"], [b, "msg-b"]] as const) {
      const res = await deliver("appointment-reminder", payload, id);
      expect(res.status).toBe(200);
      outcomes.push(((await json<{ result: { outcome: string } }>(res)).result.outcome));
    }
    expect(outcomes).toEqual(["delivered", "delivered", "duplicate", "duplicate", "duplicate"]);
    expect(await deliveries(appointmentId)).toEqual([15, 60]);
  });

  it("a reminder for an appointment moved since it was queued is a no-op", async () => {
    const { t, eventId, appointmentId, startsAt } = await seedAppointment();
    await withAdmin((c) => c.query("update public.calendar_events set starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour' where id = $1", [eventId]));
    const res = await deliver("appointment-reminder", { tenantId: t.id, appointmentId, offsetMinutes: 60, startsAt });
    expect((await json<{ result: { outcome: string } }>(res)).result.outcome).toBe("stale");
    expect(await deliveries(appointmentId)).toEqual([]);
  });

  it("refuses unsigned, wrongly signed, body-tampered, wrong-URL, stale and replayed calls with 401, and the job does not run", async () => {
    const { t, appointmentId, startsAt } = await seedAppointment();
    const path = "/hooks/qstash/appointment-reminder";
    const body = JSON.stringify({ tenantId: t.id, appointmentId, offsetMinutes: 30, startsAt });
    const send = (signature: string | undefined, raw = body) =>
      call(path, { method: "POST", rawBody: raw, headers: { "content-type": "application/json", ...(signature ? { "upstash-signature": signature } : {}) } });

    await expectProblem(await send(undefined), 401, "unauthorized");
    await expectProblem(await send(await qstashSignature(path, body, { key: "not-the-signing-key" })), 401, "unauthorized");
    await expectProblem(await send(await qstashSignature(path, body), body.replace('"offsetMinutes":30', '"offsetMinutes":31')), 401, "unauthorized");
    await expectProblem(await send(await qstashSignature(path, body, { url: "https://evil.example/hooks/qstash/appointment-reminder" })), 401, "unauthorized");
    await expectProblem(await send(await qstashSignature(path, body, { iat: Math.floor(Date.now() / 1000) - 3600 })), 401, "unauthorized");
    expect(await deliveries(appointmentId)).toEqual([]);

    const signature = await qstashSignature(path, body);
    expect((await send(signature)).status).toBe(200);
    await expectProblem(await send(signature), 401, "unauthorized");
    expect(await deliveries(appointmentId)).toEqual([30]);
  });

  it("accepts the next signing key (key rotation)", async () => {
    const { t, appointmentId, startsAt } = await seedAppointment();
    const path = "/hooks/qstash/appointment-reminder";
    const body = JSON.stringify({ tenantId: t.id, appointmentId, offsetMinutes: 5, startsAt });
    const res = await call(path, { method: "POST", rawBody: body, headers: { "content-type": "application/json", "upstash-signature": await qstashSignature(path, body, { key: inject("qstashNextSigningKey") }) } });
    expect(res.status).toBe(200);
  });

  it("an unknown job is 404 and a malformed payload is 400", async () => {
    await expectProblem(await deliver("no-such-job", {}), 404, "not_found");
    await expectProblem(await deliver("appointment-reminder", { tenantId: "x" }), 400, "bad_request");
  });
});
