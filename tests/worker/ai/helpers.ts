// AI run test helpers: a worker whose name carries the LLM stand-in's scenario marker (so the
// run's model calls reach the test's own scripted answers), runs through the API, steps delivered
// as QStash delivers them, and the trace read back through the API.
import { expect } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { llmMarker, llmScenario } from "../../support/llm.ts";
import { deliver } from "../../support/qstash.ts";
import type { SeededTenant } from "../../support/seed.ts";

export type RunStep = { stepIndex: number; kind: string; status: string; attempts: number; input: Record<string, unknown> | null; toolCalls: { id: string; name: string; arguments: string }[] | null; output: Record<string, unknown> | null; errorCode: string | null; tokensIn: number; tokensOut: number; costUsd: number; durationMs: number | null; reservedTokens: number };
export type Approval = { id: string; runId: string; stepIndex: number; toolName: string; arguments: Record<string, unknown>; argumentsHash: string; risks: string[]; status: string; settingsPolicyVersion: number; workerPolicyVersion: number; executionPolicy: string };
export type Run = { id: string; workerId: string; task: string; status: string; currentStep: number; output: unknown; errorCode: string | null; error: string | null; tokensIn: number; tokensOut: number; costUsd: number; source: string };
export type Trace = Run & { steps: RunStep[]; approvals: Approval[] };

/** An active worker (of `kind`) whose model calls go to a fresh stand-in scenario. */
export async function activeWorker(t: SeededTenant, body: Record<string, unknown> = {}): Promise<{ id: string; scenario: string }> {
  const scenario = llmScenario("run");
  const res = await call("/v1/ai/workers", { method: "POST", token: await t.admin.token(), body: { kind: "office_assistant", name: `Assistant ${llmMarker(scenario)}`, ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = await json<{ id: string }>(res);
  const activated = await call(`/v1/ai/workers/${id}/status`, { method: "POST", token: await t.owner.token(), body: { status: "active" } });
  expect(activated.status).toBe(200);
  return { id, scenario };
}

export async function startRun(t: SeededTenant, workerId: string, task: string, input: Record<string, unknown>): Promise<Run> {
  const res = await call(`/v1/ai/workers/${workerId}/runs`, { method: "POST", token: await t.admin.token(), body: { task, input } });
  expect(res.status, await res.clone().text()).toBe(202);
  return json<Run>(res);
}

/** One delivery of a run's step, as QStash sends it; resolves to the job's result. */
export async function runStep(t: SeededTenant, runId: string, stepIndex: number, attempt = 1): Promise<Record<string, unknown>> {
  const res = await deliver("agent-run-step", { tenantId: t.id, runId, stepIndex, attempt });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<{ result: Record<string, unknown> }>(res)).result;
}

export async function trace(t: SeededTenant, runId: string): Promise<Trace> {
  const res = await call(`/v1/ai/runs/${runId}`, { token: await t.manager.token() });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<Trace>(res);
}

/** A task assigned to the tenant's employee, created by its owner; its id. */
export async function seedTask(t: SeededTenant, title: string): Promise<string> {
  const { rows } = await withAdmin((c) =>
    c.query("insert into public.tasks (tenant_id, title, assigned_to, created_by) values ($1, $2, $3, $4) returning id", [t.id, title, t.employee.id, t.owner.id]),
  );
  return rows[0].id as string;
}

export const outboxOf = async (runId: string) =>
  (await withAdmin((c) => c.query("select dedupe_id from public.job_outbox where job = 'agent-run-step' and payload ->> 'runId' = $1 order by created_at, dedupe_id", [runId]))).rows.map((r) => r.dedupe_id as string);
