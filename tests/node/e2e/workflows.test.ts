// Workflows end to end: the Worker over HTTP, every step a QStash delivery. A run, an event, a
// signed inbound webhook or a schedule starts an execution; its steps go through the job outbox,
// the outbox-drain schedule publishes them, and this file's QStash stand-in delivers them (signed,
// in real time) to /hooks/qstash/workflow-step. Nothing here calls a handler directly; progress is
// read through the executions API, the outbox and the stand-in's events.
//
// The step retry backoff is 10 s, 20 s, 40 s… in production; this Worker runs with
// WORKFLOW_RETRY_BASE_SECONDS=3 (3 s, 6 s), which shared/env.ts refuses in staging and production.
import { Webhook } from "standardwebhooks";
import { describe, it } from "vitest";
import { useE2E, waitFor, type E2ETenant } from "../../support/e2e/index.ts";

const RETRY_BASE_SECONDS = 3;
const e2e = useE2E({ vars: { WORKFLOW_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS) } });

type Step = {
  stepIndex: number;
  action: string;
  status: string;
  attempts: number;
  output: unknown;
  lastError: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
};
type Execution = {
  id: string;
  workflowId: string;
  status: string;
  triggerKind: string;
  triggerId: string;
  stepCount: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  steps: Step[];
};
type Workflow = { id: string; active: boolean };
type Outbox = { dedupe_id: string; payload: Record<string, unknown>; not_before: Date; delay_s: number; message_id: string | null };

async function api<T>(t: E2ETenant, path: string, method = "GET", body?: unknown, expected = method === "POST" && body !== undefined ? 201 : 200): Promise<T> {
  const res = await e2e.call(path, { method, body }, await t.owner.token());
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} (expected ${expected}) ${text}`);
  return JSON.parse(text) as T;
}

const createWorkflow = (t: E2ETenant, body: Record<string, unknown>) => api<Workflow>(t, "/v1/automation/workflows", "POST", body);
const activate = (t: E2ETenant, id: string) => api<Workflow>(t, `/v1/automation/workflows/${id}/activate`, "POST");
const deactivate = (t: E2ETenant, id: string) => api<Workflow>(t, `/v1/automation/workflows/${id}/deactivate`, "POST");
const run = (t: E2ETenant, id: string) => api<Execution>(t, `/v1/automation/workflows/${id}/run`, "POST", { payload: { note: "e2e" } }, 202);
const execution = (t: E2ETenant, wf: string, ex: string) => api<Execution>(t, `/v1/automation/workflows/${wf}/executions/${ex}`);
const executions = async (t: E2ETenant, wf: string) => (await api<{ data: Execution[] }>(t, `/v1/automation/workflows/${wf}/executions?limit=100`)).data;

/** Waits until the execution finished (succeeded, failed or cancelled) and returns it. */
const finished = (t: E2ETenant, wf: string, ex: string, timeoutMs = 45_000) =>
  waitFor(`execution ${ex} to finish`, async () => {
    const x = await execution(t, wf, ex);
    return ["succeeded", "failed", "cancelled"].includes(x.status) ? x : undefined;
  }, { timeoutMs, intervalMs: 200 });

/** The execution's step messages in the outbox (what outbox-drain publishes), oldest first. */
const outboxOf = (executionId: string) =>
  e2e.sql<Outbox>("select dedupe_id, payload, not_before, extract(epoch from not_before - created_at)::float8 as delay_s, message_id from public.job_outbox where job = 'workflow-step' and payload ->> 'executionId' = $1 order by created_at, dedupe_id", [executionId]);

const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

/** Standard Webhooks headers for a body, as a sender signs it with the workflow's secret. */
function signed(secret: string, body: string, options: { id?: string; at?: Date } = {}) {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  return { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, at, body) };
}

// Each scenario has its own business: they run side by side on the shared Worker and stand-in.
// Waits are bounded by waitFor (clear messages), generous for a loaded machine (every step is a
// drain and a delivery through wrangler dev); the test timeout only backs them up.
describe.concurrent("workflows through QStash (e2e)", { timeout: 90_000 }, () => {
  it("a manual run of three steps completes through QStash deliveries; the executions API shows steps, timings and outputs", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const wf = await createWorkflow(t, {
      name: "Daily report",
      trigger: { type: "manual" },
      actions: [{ type: "find_appointments", withinHours: 48 }, { type: "aggregate_tasks" }, { type: "generate_summary", title: "Today" }],
    });
    const queued = await run(t, wf.id);
    expect(queued).toMatchObject({ status: "queued", triggerKind: "manual", stepCount: 3 });

    const done = await finished(t, wf.id, queued.id);
    expect(done.status, JSON.stringify(done)).toBe("succeeded");
    expect(done.steps.map((s) => [s.action, s.status, s.attempts, s.lastError])).toEqual([
      ["find_appointments", "succeeded", 1, null],
      ["aggregate_tasks", "succeeded", 1, null],
      ["generate_summary", "succeeded", 1, null],
    ]);
    expect(done.steps[0]!.output).toEqual({ appointments: [] });
    expect(done.steps[1]!.output).toMatchObject({ tasks: { total: 0 } });
    expect(done.steps[2]!.output).toMatchObject({ summary: { title: "Today", text: expect.stringContaining("0 appointments") } });
    // Timings: each step started after the one before it finished, inside the execution's span.
    let previousEnd = ms(done.startedAt);
    for (const s of done.steps) {
      expect(ms(s.startedAt)).toBeGreaterThanOrEqual(previousEnd);
      expect(ms(s.finishedAt)).toBeGreaterThanOrEqual(ms(s.startedAt));
      previousEnd = ms(s.finishedAt);
    }
    expect(ms(done.finishedAt)).toBeGreaterThanOrEqual(previousEnd);

    // Every step was its own QStash message, published by the drain and delivered (2xx) once.
    const rows = await outboxOf(queued.id);
    expect(rows.map((r) => r.dedupe_id)).toEqual([0, 1, 2].map((i) => `wf:${queued.id}:${i}:1`));
    for (const r of rows) {
      expect(r.message_id).toBeTruthy();
      // The step commits before the Worker answers: QStash records DELIVERED a moment later.
      await waitFor("QStash to record the step delivered", () => e2e.qstash.delivered(r.message_id!), { timeoutMs: 10_000 });
      expect(e2e.qstash.eventsOf(r.message_id!).filter((e) => e.state === "DELIVERED")).toHaveLength(1);
      expect(e2e.qstash.eventsOf(r.message_id!)[0]!.url).toBe(`${e2e.url}/hooks/qstash/workflow-step`);
    }
  });

  it("resumes from the failed step: the 2nd step fails twice with backoff, then succeeds; step 1 ran once", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const wf = await createWorkflow(t, {
      name: "Employee report",
      trigger: { type: "manual" },
      actions: [{ type: "find_appointments" }, { type: "aggregate_tasks", assignedTo: t.employee.id }, { type: "generate_summary" }],
    });
    // The assignee is deactivated: the aggregate fails (retryably) until they are back.
    const setActive = (active: boolean) => e2e.sql("update public.memberships set active = $3 where tenant_id = $1 and user_id = $2", [t.id, t.employee.id, active]);
    await setActive(false);
    const queued = await run(t, wf.id);

    // Two failed attempts of step 2; the third is due 2 × base seconds after the second failed:
    // the assignee is back before then (polled in SQL, cheap even on a loaded machine).
    await waitFor("the 2nd step to fail twice", async () => {
      const [row] = await e2e.sql<{ attempts: number; status: string }>(
        "select attempts, status from public.workflow_execution_steps where tenant_id = $1 and execution_id = $2 and step_index = 1",
        [t.id, queued.id],
      );
      return row?.attempts === 2 && row.status === "retrying";
    }, { timeoutMs: 45_000, intervalMs: 50 });
    await setActive(true);
    const retrying = await execution(t, wf.id, queued.id);
    expect(retrying.status).toBe("running");
    expect(retrying.steps[0]).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(retrying.steps[1]!.lastError).toContain("assignee_inactive");

    const done = await finished(t, wf.id, queued.id);
    expect(done.status, JSON.stringify(done)).toBe("succeeded");
    expect(done.steps.map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1], ["succeeded", 3], ["succeeded", 1]]);

    const rows = await outboxOf(queued.id);
    // Step 1 was queued once and never again; step 2 once per attempt, with the backoff.
    expect(rows.map((r) => r.dedupe_id)).toEqual([`wf:${queued.id}:0:1`, ...[1, 2, 3].map((a) => `wf:${queued.id}:1:${a}`), `wf:${queued.id}:2:1`]);
    const attempts = rows.slice(1, 4);
    // Queued with the backoff: now, then base, then 2 × base seconds after the failure (counted
    // from the delivery's start, so the row, written when the step has failed, shows a bit less).
    const delays = attempts.map((r) => r.delay_s);
    expect(delays[0]!).toBeLessThan(0.5);
    expect(delays[1]!).toBeGreaterThan(RETRY_BASE_SECONDS - 2);
    expect(delays[1]!).toBeLessThanOrEqual(RETRY_BASE_SECONDS);
    expect(delays[2]!).toBeGreaterThan(2 * RETRY_BASE_SECONDS - 2);
    expect(delays[2]!).toBeLessThanOrEqual(2 * RETRY_BASE_SECONDS);
    // Each retry was delivered by QStash at its notBefore, not before: the backoff was real time.
    const firstTry = (id: string | null) => e2e.qstash.eventsOf(id!).find((e) => e.state === "ACTIVE")!.time;
    const tried = attempts.map((r) => firstTry(r.message_id));
    for (const [i, r] of attempts.entries()) expect(tried[i]!).toBeGreaterThanOrEqual(Math.floor(r.not_before.getTime() / 1000) * 1000);
    expect(tried[1]! - tried[0]!).toBeGreaterThanOrEqual(RETRY_BASE_SECONDS * 1000 - 1000);
    expect(tried[2]! - tried[1]!).toBeGreaterThanOrEqual(2 * RETRY_BASE_SECONDS * 1000 - 1000);
  });

  it("step messages delivered three times each and out of order: one result per step", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const wf = await createWorkflow(t, { name: "Twice", trigger: { type: "manual" }, actions: [{ type: "aggregate_tasks" }, { type: "generate_summary" }, { type: "generate_summary", title: "Again" }] });
    const queued = await run(t, wf.id);
    // Copies of every step's message, last step first, published right away (before the first
    // step ran, most likely): the later steps' copies arrive before they are current.
    const url = `${e2e.url}/hooks/qstash/workflow-step`;
    const copies: string[] = [];
    for (const stepIndex of [2, 1, 0]) {
      for (let i = 0; i < 3; i++) {
        const { messageId } = await e2e.qstash.client.publishJSON({ url, body: { tenantId: t.id, executionId: queued.id, stepIndex, attempt: 1 } });
        copies.push(messageId);
      }
    }
    const done = await finished(t, wf.id, queued.id);
    expect(done.status, JSON.stringify(done)).toBe("succeeded");
    expect(done.steps.map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1], ["succeeded", 1], ["succeeded", 1]]);
    // Duplicates still in flight are no-ops, late or early.
    await waitFor("QStash to deliver every copy", () => copies.every((id) => e2e.qstash.delivered(id)), { timeoutMs: 30_000 });
    // Copies may have run a step before the drain's message did; either way one result each.
    const after = await execution(t, wf.id, queued.id);
    expect(after.steps.map((s) => [s.status, s.attempts, s.finishedAt])).toEqual(done.steps.map((s) => [s.status, s.attempts, s.finishedAt]));
    const transitions = await e2e.sql<{ n: number }>("select count(*)::int as n from public.audit_log where resource_type = 'workflow_executions' and resource_id = $1", [queued.id]);
    expect(transitions[0]!.n).toBe(3); // queued → running → succeeded, once each
    expect(e2e.qstash.deadLetters().filter((d) => copies.includes(d.message.messageId))).toEqual([]);
    // Out of order for real: a copy of the last step reached the Worker before that step was current.
    const firstCopyOfLast = Math.min(...copies.slice(0, 3).map((id) => e2e.qstash.eventsOf(id).find((e) => e.state === "DELIVERED")!.time));
    expect(firstCopyOfLast).toBeLessThan(ms(done.steps[2]!.startedAt));
  });

  it("a task completed through the API starts its event workflow, which runs through QStash", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const wf = await createWorkflow(t, { name: "On done", trigger: { type: "event", eventType: "task.completed" }, actions: [{ type: "aggregate_tasks" }, { type: "generate_summary" }] });
    await activate(t, wf.id);
    const task = await api<{ id: string }>(t, "/v1/tasks", "POST", { title: "Order gloves" });
    expect(await executions(t, wf.id)).toEqual([]); // created, not completed
    await api(t, `/v1/tasks/${task.id}`, "PATCH", { status: "done" });

    const [started] = await waitFor("the event to start an execution", async () => {
      const list = await executions(t, wf.id);
      return list.length ? list : undefined;
    }, { timeoutMs: 20_000 });
    expect(started!.triggerKind).toBe("event");
    const [event] = await e2e.sql<{ id: string }>("select id from public.domain_events where tenant_id = $1 and type = 'task.completed' and subject_id = $2", [t.id, task.id]);
    expect(started!.triggerId).toBe(`event:${event!.id}`);
    const done = await finished(t, wf.id, started!.id);
    expect(done.status, JSON.stringify(done)).toBe("succeeded");
    expect(done.steps[0]!.output).toMatchObject({ tasks: { total: 1 } });
    expect(await executions(t, wf.id)).toHaveLength(1);
  });

  it("a signed inbound webhook starts one execution over HTTP; bad signature, old timestamp and a replayed id are 401 and start nothing", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const wf = await createWorkflow(t, { name: "Inbound", trigger: { type: "webhook" }, actions: [{ type: "generate_summary" }] });
    await activate(t, wf.id);
    const { url, secret } = await api<{ url: string; secret: string }>(t, `/v1/automation/workflows/${wf.id}/webhook`);
    expect(url).toBe(`${e2e.url}/hooks/workflows/${wf.id}`);
    const post = (body: string, headers: Record<string, string>) => fetch(url, { method: "POST", body, headers });
    // As a Standard Webhooks sender does: a 5xx (e.g. 503 while the rate limiter's Redis is slow on
    // a loaded machine) is retried with the same message id and signature; 2xx and 4xx are final.
    const send = async (body: string, headers: Record<string, string>) => {
      for (let i = 0; ; i++) {
        const res = await post(body, headers);
        if (res.status < 500 || i === 3) return res;
        await new Promise((r) => setTimeout(r, 500));
      }
    };

    const body = JSON.stringify({ order: 42 });
    const headers = signed(secret, body);
    const accepted = await send(body, headers);
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    const { executionId } = (await accepted.json()) as { executionId: string };

    const refused = [
      await send(body, headers), // the same webhook-id again
      await send(body, { ...signed(secret, body), "webhook-signature": signed(secret, JSON.stringify({ order: 43 }))["webhook-signature"] }),
      await send(body, signed(secret, body, { at: new Date(Date.now() - 10 * 60_000) })),
      await send(body, signed(`whsec_${Buffer.from("another secret of 32 bytes......").toString("base64")}`, body)),
      await send(body, { "content-type": "application/json" }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }

    const done = await finished(t, wf.id, executionId);
    expect(done).toMatchObject({ status: "succeeded", triggerKind: "webhook", triggerId: `webhook:${headers["webhook-id"]}` });
    expect((await executions(t, wf.id)).map((x) => x.id)).toEqual([executionId]);
  });

  it("activating a scheduled workflow creates QStash schedule wf:{id}, which fires executions; deactivating removes it", async ({ expect }) => {
    const t = await e2e.seedTenant();
    const wf = await createWorkflow(t, {
      name: "Morning summary",
      trigger: { type: "scheduled", cron: "0 9 * * 1-5", timeZone: "Europe/Berlin" },
      actions: [{ type: "generate_summary", title: "Morning" }],
    });
    const schedule = () => e2e.qstash.schedules().find((s) => s.scheduleId === `wf:${wf.id}`);
    expect(schedule()).toBeUndefined();
    await activate(t, wf.id);
    expect(schedule()).toMatchObject({ cron: "CRON_TZ=Europe/Berlin 0 9 * * 1-5", destination: `${e2e.url}/hooks/qstash/workflow-schedule` });

    // The stand-in fires every schedule every 500 ms (in production: at 09:00 Berlin time).
    const [fired] = await waitFor("the schedule to start an execution that succeeds", async () => {
      const list = (await executions(t, wf.id)).filter((x) => x.status === "succeeded");
      return list.length ? list : undefined;
    }, { timeoutMs: 45_000 });
    expect(fired!.triggerKind).toBe("scheduled");
    expect(fired!.triggerId).toMatch(/^schedule:/);

    await deactivate(t, wf.id);
    expect(schedule()).toBeUndefined();
    // Fires already in flight may still land; then nothing new starts.
    await new Promise((r) => setTimeout(r, 1500));
    const settled = (await executions(t, wf.id)).length;
    await new Promise((r) => setTimeout(r, 2000));
    expect(await executions(t, wf.id)).toHaveLength(settled);
    // One execution per fire: QStash's message id names it, so fires never share one.
    const ids = (await executions(t, wf.id)).map((x) => x.triggerId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
