// Scripts and reads the LLM stand-in (scripts/llm-stand-in/server.ts) started by global-setup.
// Each test uses its own scenario id, so files running at once never take each other's steps:
// direct calls send it as the `x-llm-scenario` header, requests through the Worker carry
// llmMarker(id) in a message's text.
import { inject } from "vitest";
import { STAND_IN_MODEL, type StepInput } from "../../scripts/llm-stand-in/answers.ts";
import type { RecordedRequest } from "../../scripts/llm-stand-in/server.ts";

export type { RecordedRequest, StepInput };

/** What the Worker's env gets in tests: the stand-in's base URL, its API key and model. */
export const llmConfig = () => ({ baseUrl: `${inject("llmUrl")}/v1`, apiKey: inject("llmApiKey"), model: STAND_IN_MODEL });

/** A scenario id no other test uses. */
export const llmScenario = (label = "t") => `${label}-${crypto.randomUUID().slice(0, 13)}`;

/** The marker that routes a request to a scenario when it is somewhere in a message's text. */
export const llmMarker = (scenario: string) => `[llm-scenario:${scenario}]`;

async function control(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${inject("llmUrl")}${path}`, { ...init, headers: { authorization: `Bearer ${inject("llmControlKey")}`, "content-type": "application/json" } });
  if (res.status !== 200) throw new Error(`the LLM stand-in answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Queues answers for a scenario, used in order by its next requests (then the default answers). */
export async function scriptLlm(scenario: string, steps: StepInput[]): Promise<void> {
  await control(`/control/scenarios/${scenario}`, { method: "POST", body: JSON.stringify({ steps }) });
}

/** Steps of a scenario not yet used. */
export async function pendingLlmSteps(scenario: string): Promise<number> {
  return ((await control(`/control/scenarios/${scenario}`)) as { pending: number }).pending;
}

/** Every request the stand-in received for a scenario, oldest first. */
export async function llmRequests(scenario: string): Promise<RecordedRequest[]> {
  return ((await control(`/control/requests?scenario=${encodeURIComponent(scenario)}`)) as { data: RecordedRequest[] }).data;
}
