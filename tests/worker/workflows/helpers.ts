// Workflow test helpers: create and run through the API, drive steps as QStash would (deliver()),
// and read the step log back through the API.
import { expect } from "vitest";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import type { SeededTenant } from "../../support/seed.ts";

export type Step = { stepIndex: number; action: string; status: string; attempts: number; output: unknown; lastError: string | null; nextAttemptAt: string | null };
export type Execution = { id: string; workflowId: string; version: number; status: string; currentStep: number; stepCount: number; error: string | null; steps: Step[] };
export type Workflow = { id: string; name: string; active: boolean; currentVersion: number; trigger: Record<string, unknown>; actions: Record<string, unknown>[] };

export async function createWorkflow(t: SeededTenant, body: Record<string, unknown>): Promise<Workflow> {
  const res = await call("/v1/automation/workflows", { method: "POST", token: await t.owner.token(), body });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<Workflow>(res);
}

export async function run(t: SeededTenant, workflowId: string, payload: Record<string, unknown> = {}): Promise<Execution> {
  const res = await call(`/v1/automation/workflows/${workflowId}/run`, { method: "POST", token: await t.owner.token(), body: { payload } });
  expect(res.status, await res.clone().text()).toBe(202);
  return json<Execution>(res);
}

export async function execution(t: SeededTenant, workflowId: string, executionId: string): Promise<Execution> {
  const res = await call(`/v1/automation/workflows/${workflowId}/executions/${executionId}`, { token: await t.owner.token() });
  expect(res.status).toBe(200);
  return json<Execution>(res);
}

/** One delivery of a step, as QStash sends it; resolves to the job's outcome. */
export async function step(t: SeededTenant, executionId: string, stepIndex: number, attempt = 1): Promise<Record<string, unknown>> {
  const res = await deliver("workflow-step", { tenantId: t.id, executionId, stepIndex, attempt });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<{ result: Record<string, unknown> }>(res)).result;
}
