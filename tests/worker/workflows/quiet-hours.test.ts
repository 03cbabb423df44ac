// A workflow message due inside the recipient's quiet hours is deferred, not skipped: the step
// waits (status `deferred`, the same attempt — not a failed one) and is queued again for the end of
// the quiet hours; the execution resumes at that step and the message goes out once.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant } from "../../support/seed.ts";
import { sinkMessages } from "../../support/sink.ts";
import { createWorkflow, execution, run, step } from "./helpers.ts";

const clock = (tz: string, minutes: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(Date.now() + minutes * 60_000));

describe("workflow messages in quiet hours", { timeout: 60_000 }, () => {
  it("defer the step to the end of the quiet hours, then send once and resume", async () => {
    const t = await seedTenant();
    const tz = "America/Los_Angeles";
    const token = await t.employee.token();
    expect((await call("/v1/me/settings", { method: "PATCH", token, body: { timezone: tz } })).status).toBe(200);
    const quiet = (quietHours: { start: string; end: string } | null) =>
      call("/v1/me/notifications", { method: "PUT", token, body: { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours } });
    expect((await quiet({ start: clock(tz, -60), end: clock(tz, 90) })).status).toBe(200);

    const wf = await createWorkflow(t, {
      name: "Nudge",
      trigger: { type: "manual" },
      actions: [{ type: "aggregate_tasks" }, { type: "send_message", userId: t.employee.id, subject: "Your tasks" }, { type: "generate_summary" }],
    });
    const ex = await run(t, wf.id);
    expect(await step(t, ex.id, 0)).toEqual({ outcome: "next" });
    const deferred = await step(t, ex.id, 1);
    expect(deferred.outcome).toBe("deferred");
    const until = Date.parse(deferred.deferredUntil as string);
    expect(Math.abs(until - (Date.now() + 90 * 60_000))).toBeLessThan(2 * 60_000);
    let ran = await execution(t, wf.id, ex.id);
    expect(ran.status).toBe("running");
    expect(ran.steps[1]).toMatchObject({ status: "deferred", attempts: 1, nextAttemptAt: new Date(until).toISOString() });
    // Queued again for the end of the quiet hours: the same attempt, its own dedupe id.
    const rows = async () =>
      (await withAdmin((c) => c.query<{ dedupe_id: string; payload: Record<string, unknown>; not_before: Date }>("select dedupe_id, payload, not_before from public.job_outbox where payload ->> 'executionId' = $1 and dedupe_id like '%after-quiet%'", [ex.id]))).rows;
    const [again] = await rows();
    expect(again!.payload).toEqual({ tenantId: t.id, executionId: ex.id, stepIndex: 1, attempt: 1 });
    expect(again!.not_before.getTime()).toBe(until);
    // A redelivery during the quiet hours defers again: still one queued run, nothing sent.
    expect((await step(t, ex.id, 1)).outcome).toBe("deferred");
    expect(await rows()).toHaveLength(1);
    expect(await sinkMessages({ recipient: t.employee.email })).toEqual([]);

    // The quiet hours are over (here: cleared); the queued run, delivered 3×, sends once and resumes.
    expect((await quiet(null)).status).toBe(200);
    const results = [];
    for (let i = 0; i < 3; i++) {
      const res = await deliver("workflow-step", again!.payload);
      expect(res.status).toBe(200);
      results.push(((await res.json()) as { result: { outcome: string } }).result.outcome);
    }
    expect(results).toEqual(["next", "noop", "noop"]);
    expect(await step(t, ex.id, 2)).toEqual({ outcome: "succeeded" });
    ran = await execution(t, wf.id, ex.id);
    expect(ran.status).toBe("succeeded");
    expect(ran.steps.map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1], ["succeeded", 1], ["succeeded", 1]]);
    expect(ran.steps[1]!.output).toMatchObject({ channels: { email: "sent" } });
    expect((await sinkMessages({ recipient: t.employee.email })).map((m) => m.subject)).toEqual(["Your tasks"]);
  });
});
