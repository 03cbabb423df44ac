// Durable steps: each step runs once per claim, duplicates and out-of-order deliveries are
// no-ops, a failed step retries from itself with backoff, never from the start.
import { describe, expect, it, vi } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call } from "../../support/http.ts";
import { seedTenant, setMembershipActive } from "../../support/seed.ts";
import { sinkMessages } from "../../support/sink.ts";
import { createWorkflow, execution, run, step } from "./helpers.ts";

const outboxOf = async (executionId: string) =>
  (await withAdmin((c) => c.query("select dedupe_id, not_before, extract(epoch from not_before - created_at)::float8 as delay_s from public.job_outbox where payload ->> 'executionId' = $1 order by created_at, dedupe_id", [executionId]))).rows as { dedupe_id: string; not_before: Date; delay_s: number }[];

describe("workflow steps", { timeout: 60_000 }, () => {
  it("runs the steps in order, passing typed outputs; the summary reads the steps before it", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, {
      name: "Task report",
      trigger: { type: "manual" },
      actions: [{ type: "find_appointments", withinHours: 48 }, { type: "aggregate_tasks" }, { type: "generate_summary", title: "Today" }],
    });
    const ex = await run(t, wf.id);
    expect(ex).toMatchObject({ workflowId: wf.id, version: 1, status: "queued", stepCount: 3 });
    expect((await outboxOf(ex.id)).map((o) => o.dedupe_id)).toEqual([`wf:${ex.id}:0:1`]);

    expect(await step(t, ex.id, 0)).toEqual({ outcome: "next" });
    expect(await step(t, ex.id, 1)).toEqual({ outcome: "next" });
    expect(await step(t, ex.id, 2)).toEqual({ outcome: "succeeded" });
    const done = await execution(t, wf.id, ex.id);
    expect(done.status).toBe("succeeded");
    expect(done.steps.map((s) => [s.action, s.status, s.attempts])).toEqual([
      ["find_appointments", "succeeded", 1],
      ["aggregate_tasks", "succeeded", 1],
      ["generate_summary", "succeeded", 1],
    ]);
    expect(done.steps[0]!.output).toEqual({ appointments: [] });
    expect(done.steps[1]!.output).toMatchObject({ tasks: { total: expect.any(Number) } });
    expect(done.steps[2]!.output).toMatchObject({ summary: { title: "Today", text: expect.stringContaining("0 appointments") } });
    expect((await outboxOf(ex.id)).map((o) => o.dedupe_id)).toEqual([`wf:${ex.id}:0:1`, `wf:${ex.id}:1:1`, `wf:${ex.id}:2:1`]);
  });

  it("delivered 3× and out of order: one result per step", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, { name: "Twice", trigger: { type: "manual" }, actions: [{ type: "aggregate_tasks" }, { type: "generate_summary" }] });
    const ex = await run(t, wf.id);
    // Step 1 before step 0 is current: nothing happens.
    expect(await step(t, ex.id, 1)).toEqual({ outcome: "noop" });
    const first = await Promise.all([step(t, ex.id, 0), step(t, ex.id, 0), step(t, ex.id, 0)]);
    expect(first.filter((r) => r.outcome === "next")).toHaveLength(1);
    expect(first.filter((r) => r.outcome === "noop")).toHaveLength(2);
    // A late duplicate of the finished step, and an attempt that was never queued: no-ops.
    expect(await step(t, ex.id, 0)).toEqual({ outcome: "noop" });
    expect(await step(t, ex.id, 1, 2)).toEqual({ outcome: "noop" });
    const last = await Promise.all([step(t, ex.id, 1), step(t, ex.id, 1), step(t, ex.id, 1)]);
    expect(last.filter((r) => r.outcome === "succeeded")).toHaveLength(1);
    const done = await execution(t, wf.id, ex.id);
    expect(done.status).toBe("succeeded");
    expect(done.steps.map((s) => s.attempts)).toEqual([1, 1]);
    const audit = await withAdmin((c) => c.query("select count(*)::int as n from public.audit_log where resource_type = 'workflow_executions' and resource_id = $1", [ex.id]));
    expect(audit.rows[0].n).toBe(3); // queued → running → succeeded
  });

  it("resumes from the failed step: the 2nd step fails twice, then succeeds; step 1 ran once", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, {
      name: "Employee report",
      trigger: { type: "manual" },
      actions: [{ type: "find_appointments" }, { type: "aggregate_tasks", assignedTo: t.employee.id }, { type: "generate_summary" }],
    });
    // The assignee is deactivated: the aggregate fails (retryably) until they are back.
    await setMembershipActive(t.id, t.employee.id, false);
    const ex = await run(t, wf.id);
    expect(await step(t, ex.id, 0)).toEqual({ outcome: "next" });
    const failed1 = await step(t, ex.id, 1, 1);
    expect(failed1).toMatchObject({ outcome: "retry", error: "assignee_inactive" });
    const failed2 = await step(t, ex.id, 1, 2);
    expect(failed2).toMatchObject({ outcome: "retry", error: "assignee_inactive" });
    let mid = await execution(t, wf.id, ex.id);
    expect(mid.status).toBe("running");
    expect(mid.steps[1]).toMatchObject({ status: "retrying", attempts: 2, lastError: expect.stringContaining("assignee_inactive") });
    // Backoff: the next attempt is queued with notBefore in the future (10 s, then 20 s).
    const retries = (await outboxOf(ex.id)).filter((o) => o.dedupe_id.startsWith(`wf:${ex.id}:1:`));
    expect(retries.map((o) => o.dedupe_id)).toEqual([`wf:${ex.id}:1:1`, `wf:${ex.id}:1:2`, `wf:${ex.id}:1:3`]);
    expect(retries.map((o) => Math.round(o.delay_s))).toEqual([0, 10, 20]);

    await setMembershipActive(t.id, t.employee.id, true);
    expect(await step(t, ex.id, 1, 3)).toEqual({ outcome: "next" });
    expect(await step(t, ex.id, 2)).toEqual({ outcome: "succeeded" });
    mid = await execution(t, wf.id, ex.id);
    expect(mid.status).toBe("succeeded");
    expect(mid.steps.map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1], ["succeeded", 3], ["succeeded", 1]]);
    // Step 1 was queued once and never again.
    expect((await outboxOf(ex.id)).filter((o) => o.dedupe_id.startsWith(`wf:${ex.id}:0:`))).toHaveLength(1);
  });

  it("a slow step that fails waits its full backoff from the failure, not from the delivery's arrival", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, { name: "Slow hook", trigger: { type: "manual" }, actions: [{ type: "call_webhook", url: "https://slow.example.com/x" }] });
    const ex = await run(t, wf.id);
    // The receiver takes 1.5 s and then the connection fails (a transient error: retried).
    const original = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (new URL(new Request(input, init).url).hostname !== "slow.example.com") return original(input, init);
      await new Promise((r) => setTimeout(r, 1500));
      throw new TypeError("connection reset");
    });
    try {
      const before = Date.now();
      const result = await step(t, ex.id, 0);
      expect(result).toMatchObject({ outcome: "retry", error: "transient" });
      // 10 s after the failure (≥ 1.5 s after the delivery began), not 10 s after it began.
      expect(Date.parse(String(result.retryAt)) - before).toBeGreaterThanOrEqual(11_400);
    } finally {
      spy.mockRestore();
    }
  });

  it("send_reminder reaches the member through their channels, once however often the step is delivered", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, {
      name: "Remind",
      trigger: { type: "manual" },
      actions: [{ type: "send_reminder", userId: t.employee.id, text: `Call the customer ${crypto.randomUUID()}` }, { type: "generate_summary" }],
    });
    const ex = await run(t, wf.id);
    const deliveries = await Promise.all([step(t, ex.id, 0), step(t, ex.id, 0), step(t, ex.id, 0)]);
    expect(deliveries.filter((d) => d.outcome === "next")).toHaveLength(1);
    expect(await step(t, ex.id, 1)).toEqual({ outcome: "succeeded" });
    const done = await execution(t, wf.id, ex.id);
    expect(done.steps[0]!.output).toEqual({ key: `wf:${ex.id}:0`, channels: { email: "sent", telegram: "not enabled" } });
    const sent = await sinkMessages({ recipient: t.employee.email, channel: "email" });
    expect(sent.filter((m) => m.body.includes("Call the customer"))).toHaveLength(1);
  });

  it("send_message to someone who is not a staff member here fails the execution with a typed error", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, {
      name: "Remind",
      trigger: { type: "manual" },
      actions: [{ type: "send_message", userId: crypto.randomUUID(), subject: "Hi", text: "x" }, { type: "generate_summary" }],
    });
    const ex = await run(t, wf.id);
    expect(await step(t, ex.id, 0)).toMatchObject({ outcome: "failed", error: "recipient_not_found", retryAt: null });
    const done = await execution(t, wf.id, ex.id);
    expect(done.steps.map((s) => s.status)).toEqual(["failed", "cancelled"]);
  });

  it.each(["https://10.0.0.1/x", "https://[::ffff:127.0.0.1]/x", "https://0x7f000001/x", "https://metadata.google.internal/x", "http://hooks.example.com/x"])(
    "call_webhook to %s is refused when saved (400) and, written around the API, when sent (no request leaves)",
    async (url) => {
      const t = await seedTenant();
      const refused = await call("/v1/automation/workflows", {
        method: "POST",
        token: await t.owner.token(),
        body: { name: "Out", trigger: { type: "manual" }, actions: [{ type: "call_webhook", url }] },
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain("body.actions.0.url");
      const wf = await createWorkflow(t, { name: "Out", trigger: { type: "manual" }, actions: [{ type: "call_webhook", url: "https://hooks.example.com/x" }] });
      await withAdmin((c) => c.query("update public.workflow_versions set actions = $3 where tenant_id = $1 and workflow_id = $2", [t.id, wf.id, JSON.stringify([{ type: "call_webhook", url }])]));
      const ex = await run(t, wf.id);
      // The step reads its version back through the same schema, which refuses the URL before
      // any fetch (and the action's send-time check, ports.ts, would refuse it again).
      expect(await step(t, ex.id, 0)).toMatchObject({ outcome: "failed", error: "invalid_input" });
    },
  );

  it("create_agent_task naming no AI worker of this business fails with a typed error (runs: tests/worker/ai/runs.test.ts)", async () => {
    const t = await seedTenant();
    const wf = await createWorkflow(t, { name: "Out", trigger: { type: "manual" }, actions: [{ type: "create_agent_task", workerId: crypto.randomUUID(), task: "triage_message", input: { text: "hi" } }] });
    const ex = await run(t, wf.id);
    expect(await step(t, ex.id, 0)).toMatchObject({ outcome: "failed", error: "agent_worker_not_found" });
  });
});
