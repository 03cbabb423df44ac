// The model client (functions/lib/llm) against the LLM stand-in, over real HTTP, one scripted
// behaviour per test: what the client sends, what it makes of each answer, and when it retries.
// Every test has its own scenario (a marker in the system message), so tests never share steps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLlmClient, defineTool, isLlmError, resolveToolCall, retryAfter, type ChatMessage, type LlmConfig, type LlmError } from "../../../functions/lib/llm/index.ts";
import { startLlmStandIn, type RunningLlmStandIn } from "../../../scripts/llm-stand-in/server.ts";
import { llmConfig, llmMarker, llmRequests, llmScenario, pendingLlmSteps, scriptLlm } from "../../support/llm.ts";

const createTask = defineTool(
  "create_task",
  "Create a task for a member",
  z.object({ title: z.string().min(1).max(200), dueOn: z.iso.date(), priority: z.enum(["low", "normal", "high"]), estimateMinutes: z.number().int().min(5).optional() }),
);
const findSlots = defineTool("find_free_slots", "Find free calendar slots", z.object({ durationMinutes: z.number().int().min(15), day: z.iso.date() }));

/** Fast retries so the suite stays quick; each test overrides what it is about. */
const client = (overrides: Partial<LlmConfig> = {}) => createLlmClient({ ...llmConfig(), timeoutMs: 5_000, maxAttempts: 3, totalTimeMs: 20_000, baseDelayMs: 20, maxDelayMs: 100, ...overrides });
const conversation = (scenario: string, user: string): ChatMessage[] => [
  { role: "system", content: `You are the office assistant. ${llmMarker(scenario)}` },
  { role: "user", content: user },
];
const failure = async (p: Promise<unknown>): Promise<LlmError> => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(isLlmError(e), String(e)).toBe(true);
  return e as LlmError;
};

describe("LLM client: answers", () => {
  it("a plain answer: content, finish_reason, usage, and the request as the provider sees it", async () => {
    const s = llmScenario("plain");
    const result = await client().chat({ messages: conversation(s, "Anna called twice about her invoice. She wants a refund by Friday. Nothing else."), maxTokens: 300, temperature: 0.2 });
    expect(result).toMatchObject({ content: "Summary (14 words): Anna called twice about her invoice. She wants a refund by Friday.", toolCalls: [], finishReason: "stop", attempts: 1, model: "ai-office-stand-in" });
    expect(result.usage?.promptTokens).toBeGreaterThan(0);
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    const [sent] = await llmRequests(s);
    expect(sent).toMatchObject({ path: "/v1/chat/completions", authorized: true, status: 200 });
    expect(sent!.body).toEqual({ model: "ai-office-stand-in", stream: false, max_tokens: 300, temperature: 0.2, messages: [{ role: "system", content: expect.any(String) }, { role: "user", content: expect.any(String) }] });
    // Deterministic: the same conversation gets the same answer.
    expect((await client().chat({ messages: conversation(s, "Anna called twice about her invoice. She wants a refund by Friday. Nothing else.") })).content).toBe(result.content);
  });

  it("tool calls: tools go out as JSON Schema, the call comes back as data, and the tool result round-trips", async () => {
    const s = llmScenario("tools");
    const tools = [createTask, findSlots];
    const messages = conversation(s, 'Please create_task {"title":"Call Anna back","dueOn":"2026-12-04","priority":"high"}');
    const first = await client().chat({ messages, tools });
    expect(first.finishReason).toBe("tool_calls");
    expect(first.toolCalls).toEqual([{ id: expect.any(String), name: "create_task", arguments: '{"title":"Call Anna back","dueOn":"2026-12-04","priority":"high"}' }]);
    expect(resolveToolCall(first.toolCalls[0]!, tools)).toEqual({ ok: true, id: first.toolCalls[0]!.id, name: "create_task", args: { title: "Call Anna back", dueOn: "2026-12-04", priority: "high" } });

    const second = await client().chat({
      messages: [...messages, { role: "assistant", content: first.content, toolCalls: first.toolCalls }, { role: "tool", toolCallId: first.toolCalls[0]!.id, content: '{"taskId":"t-1"}' }],
      tools,
    });
    expect(second).toMatchObject({ content: 'Done: create_task returned {"taskId":"t-1"}', toolCalls: [], finishReason: "stop" });

    const [one, two] = await llmRequests(s);
    const body = one!.body as { tools: { type: string; function: { name: string; parameters: Record<string, unknown> } }[]; tool_choice: string };
    expect(body.tool_choice).toBe("auto");
    expect(body.tools.map((t) => [t.type, t.function.name])).toEqual([["function", "create_task"], ["function", "find_free_slots"]]);
    expect(body.tools[0]!.function.parameters).toMatchObject({ type: "object", required: ["title", "dueOn", "priority"], properties: { priority: { enum: ["low", "normal", "high"] } } });
    expect(body.tools[0]!.function.parameters).not.toHaveProperty("$schema");
    expect((two!.body as { messages: unknown[] }).messages.slice(2)).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: first.toolCalls[0]!.id, type: "function", function: { name: "create_task", arguments: first.toolCalls[0]!.arguments } }] },
      { role: "tool", tool_call_id: first.toolCalls[0]!.id, content: '{"taskId":"t-1"}' },
    ]);
  });

  it("a forced tool without arguments in the text: arguments built from the schema, and they validate", async () => {
    const s = llmScenario("forced");
    const result = await client().chat({ messages: conversation(s, "When could we meet?"), tools: [createTask, findSlots], toolChoice: { name: "find_free_slots" } });
    expect(result.toolCalls.map((c) => c.name)).toEqual(["find_free_slots"]);
    expect(resolveToolCall(result.toolCalls[0]!, [createTask, findSlots])).toMatchObject({ ok: true, args: { durationMinutes: 15, day: "2026-01-05" } });
  });

  it("wrong tool names and bad arguments are data for the caller to reject, never executed by the client", async () => {
    const s = llmScenario("wrong-tools");
    await scriptLlm(s, [
      {
        reply: "tool_calls",
        toolCalls: [
          { name: "delete_all_customers", arguments: {} },
          { name: "create_task", arguments: { title: "", dueOn: "tomorrow", priority: "urgent" } },
          { name: "create_task", arguments: '{"title": "unterminated' },
          { id: "call_ok", name: "create_task", arguments: { title: "Fine", dueOn: "2026-12-04", priority: "low" } },
        ],
      },
    ]);
    const result = await client().chat({ messages: conversation(s, "Do things."), tools: [createTask] });
    const resolved = result.toolCalls.map((c) => resolveToolCall(c, [createTask]));
    expect(resolved.map((r) => (r.ok ? "ok" : r.reason))).toEqual(["unknown_tool", "invalid_arguments", "invalid_json", "ok"]);
    const invalid = resolved[1]!;
    expect(invalid.ok ? [] : invalid.issues.map((i) => i.path).sort()).toEqual(["dueOn", "priority", "title"]);
    expect(resolved[3]).toEqual({ ok: true, id: "call_ok", name: "create_task", args: { title: "Fine", dueOn: "2026-12-04", priority: "low" } });
  });

  it("usage numbers are the provider's; a response without usage gives null", async () => {
    const s = llmScenario("usage");
    await scriptLlm(s, [{ reply: "text", content: "ok", usage: { prompt_tokens: 1234, completion_tokens: 56 } }, { reply: "text", content: "ok", usage: null }]);
    expect((await client().chat({ messages: conversation(s, "x") })).usage).toEqual({ promptTokens: 1234, completionTokens: 56 });
    expect((await client().chat({ messages: conversation(s, "x") })).usage).toBeNull();
  });
});

describe("LLM client: failures are typed, and only the transient ones are retried", () => {
  it("malformed JSON, or JSON that is not a completion → malformed_response, not retried", async () => {
    const s = llmScenario("malformed");
    await scriptLlm(s, [{ reply: "raw", body: '{"id":"x","choices":[{"message":' }, { reply: "raw", body: '{"id":"x","choices":[]}' }]);
    const broken = await failure(client().chat({ messages: conversation(s, "x") }));
    expect(broken).toMatchObject({ code: "malformed_response", status: 200, attempts: 1 });
    const empty = await failure(client().chat({ messages: conversation(s, "x") }));
    expect(empty.code).toBe("malformed_response");
    expect(empty.message).toContain("choices");
    expect(await llmRequests(s)).toHaveLength(2);
  });

  it("refusals in the three shapes providers use → refusal, with the text and the billed usage", async () => {
    const s = llmScenario("refusal");
    await scriptLlm(s, [
      { reply: "refusal", refusal: "I can't help with deleting records.", usage: { prompt_tokens: 40, completion_tokens: 9 } },
      { reply: "refusal", style: "content_filter" },
      { reply: "refusal", style: "minimax", refusal: "output new_sensitive" },
    ]);
    expect(await failure(client().chat({ messages: conversation(s, "x") }))).toMatchObject({ code: "refusal", refusal: "I can't help with deleting records.", usage: { promptTokens: 40, completionTokens: 9 }, attempts: 1 });
    expect((await failure(client().chat({ messages: conversation(s, "x") }))).code).toBe("refusal");
    expect(await failure(client().chat({ messages: conversation(s, "x") }))).toMatchObject({ code: "refusal", refusal: "output new_sensitive" });
    expect(await llmRequests(s)).toHaveLength(3);
  });

  it("an answer slower than the deadline → timeout, after every attempt timed out", async () => {
    const s = llmScenario("timeout");
    await scriptLlm(s, [{ reply: "default", delayMs: 3_000, times: 3 }]);
    const started = Date.now();
    const e = await failure(client({ timeoutMs: 300, maxAttempts: 3 }).chat({ messages: conversation(s, "x") }));
    expect(e).toMatchObject({ code: "timeout", attempts: 3 });
    expect(Date.now() - started).toBeLessThan(2_500);
    const sent = await llmRequests(s);
    expect(sent).toHaveLength(3);
    expect(sent.every((r) => r.status === null)).toBe(true); // the client hung up each time
  });

  it("a slow first answer, then a fast one → success on the second attempt", async () => {
    const s = llmScenario("slow-then-ok");
    await scriptLlm(s, [{ reply: "text", content: "late", delayMs: 2_000 }, { reply: "text", content: "on time" }]);
    expect(await client({ timeoutMs: 300 }).chat({ messages: conversation(s, "x") })).toMatchObject({ content: "on time", attempts: 2 });
  });

  it("429 with Retry-After: waits that long, then succeeds", async () => {
    const s = llmScenario("429");
    await scriptLlm(s, [{ reply: "error", status: 429, retryAfter: "1", message: "Rate limit reached" }, { reply: "text", content: "after the wait" }]);
    const started = Date.now();
    const result = await client({ baseDelayMs: 1, maxDelayMs: 1 }).chat({ messages: conversation(s, "x") });
    expect(result).toMatchObject({ content: "after the wait", attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const [first, second] = await llmRequests(s);
    expect(Date.parse(second!.receivedAt) - Date.parse(first!.receivedAt)).toBeGreaterThanOrEqual(1_000);
  });

  it("429 with a Retry-After past the time left → rate_limited at once, with retryAfterMs for the caller", async () => {
    const s = llmScenario("429-long");
    await scriptLlm(s, [{ reply: "error", status: 429, retryAfter: "120" }]);
    const e = await failure(client({ totalTimeMs: 10_000 }).chat({ messages: conversation(s, "x") }));
    expect(e).toMatchObject({ code: "rate_limited", status: 429, attempts: 1, retryAfterMs: 120_000 });
    expect(await llmRequests(s)).toHaveLength(1);
  });

  it("500 → retried with backoff; 500 every time → provider_error after the last attempt", async () => {
    const once = llmScenario("500-once");
    await scriptLlm(once, [{ reply: "error", status: 500 }, { reply: "text", content: "recovered" }]);
    expect(await client().chat({ messages: conversation(once, "x") })).toMatchObject({ content: "recovered", attempts: 2 });

    const always = llmScenario("500-always");
    await scriptLlm(always, [{ reply: "error", status: 503, message: "overloaded", times: 5 }]);
    const e = await failure(client({ maxAttempts: 3 }).chat({ messages: conversation(always, "x") }));
    expect(e).toMatchObject({ code: "provider_error", status: 503, attempts: 3 });
    expect(e.message).toContain("overloaded");
    expect(await llmRequests(always)).toHaveLength(3);
    expect(await pendingLlmSteps(always)).toBe(1);
  });

  it("a 4xx other than 429 → rejected, sent once", async () => {
    const s = llmScenario("400");
    await scriptLlm(s, [{ reply: "error", status: 400, message: "Invalid parameter: messages" }, { reply: "error", status: 404 }]);
    expect(await failure(client().chat({ messages: conversation(s, "x") }))).toMatchObject({ code: "rejected", status: 400, attempts: 1 });
    expect(await failure(client().chat({ messages: conversation(s, "x") }))).toMatchObject({ code: "rejected", status: 404, attempts: 1 });
    expect(await llmRequests(s)).toHaveLength(2);
  });

  it("a wrong key → rejected 401, sent once, and the key is in no message (redacted even when the provider echoes it)", async () => {
    const s = llmScenario("401");
    const wrongKey = "sk-wrong-key-0123456789";
    const e = await failure(client({ apiKey: wrongKey }).chat({ messages: conversation(s, "x") }));
    expect(e).toMatchObject({ code: "rejected", status: 401, attempts: 1 });
    expect(JSON.stringify({ ...e.toJSON(), message: e.message })).not.toContain(wrongKey);
    expect(await llmRequests(s)).toEqual([expect.objectContaining({ authorized: false, status: 401 })]);

    const echo = llmScenario("echo");
    const { apiKey } = llmConfig();
    await scriptLlm(echo, [{ reply: "error", status: 400, message: `Incorrect API key provided: ${apiKey}` }]);
    const echoed = await failure(client().chat({ messages: conversation(echo, "x") }));
    expect(echoed.message).not.toContain(apiKey);
    expect(echoed.message).toContain("[redacted]");
  });

  it("MiniMax's base_resp errors (HTTP 200): 1002 is a rate limit and retried, 1008 is final", async () => {
    const s = llmScenario("minimax");
    const base = (code: number, msg: string) => JSON.stringify({ id: "m", choices: null, base_resp: { status_code: code, status_msg: msg } });
    await scriptLlm(s, [{ reply: "raw", body: base(1002, "rate limit") }, { reply: "text", content: "fine" }, { reply: "raw", body: base(1008, "insufficient balance") }]);
    expect(await client().chat({ messages: conversation(s, "x") })).toMatchObject({ content: "fine", attempts: 2 });
    expect(await failure(client().chat({ messages: conversation(s, "x") }))).toMatchObject({ code: "rejected", attempts: 1 });
  });

  it("the total time bounds the retries, whatever maxAttempts says", async () => {
    const s = llmScenario("budget");
    await scriptLlm(s, [{ reply: "error", status: 500, times: 50 }]);
    const started = Date.now();
    const e = await failure(client({ maxAttempts: 50, totalTimeMs: 1_500, baseDelayMs: 400, maxDelayMs: 400 }).chat({ messages: conversation(s, "x") }));
    expect(e.code).toBe("provider_error");
    expect(e.attempts).toBeLessThan(8);
    expect(Date.now() - started).toBeLessThan(3_000); // 1.5 s budget; the margin is for a loaded machine
  });

  it("a provider that cannot be reached → provider_error (network) after the retries", async () => {
    const gone = await startLlmStandIn({ apiKey: "k", controlKey: "c" });
    await gone.stop();
    const e = await failure(client({ baseUrl: gone.baseUrl, apiKey: "k" }).chat({ messages: conversation(llmScenario(), "x") }));
    expect(e).toMatchObject({ code: "provider_error", attempts: 3 });
    expect(e.message).toContain("network error");
  });

  it("no key configured → not_configured, nothing sent; the caller's abort → aborted", async () => {
    const s = llmScenario("unconfigured");
    expect(await failure(client({ apiKey: undefined }).chat({ messages: conversation(s, "x") }))).toMatchObject({ code: "not_configured", attempts: 0 });
    expect(await llmRequests(s)).toHaveLength(0);

    const slow = llmScenario("abort");
    await scriptLlm(slow, [{ reply: "default", delayMs: 5_000 }]);
    const e = await failure(client().chat({ messages: conversation(slow, "x"), signal: AbortSignal.timeout(200) }));
    expect(e).toMatchObject({ code: "aborted", attempts: 1 });
  });

  it("reads Retry-After as seconds, as an HTTP date, and OpenAI's retry-after-ms", () => {
    const now = Date.UTC(2026, 11, 2, 0, 0, 0);
    expect(retryAfter(new Headers({ "retry-after": "3" }), now)).toBe(3_000);
    expect(retryAfter(new Headers({ "retry-after": new Date(now + 7_000).toUTCString() }), now)).toBe(7_000);
    expect(retryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "3" }), now)).toBe(250);
    expect(retryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe("LLM stand-in: the wire protocol around the answers", () => {
  let own: RunningLlmStandIn;
  const apiKey = "sk-own-0123456789";
  const controlKey = "control-own-0123456789";
  beforeAll(async () => {
    own = await startLlmStandIn({ apiKey, controlKey, models: ["m-1", "m-2"] });
  });
  afterAll(async () => {
    await own?.stop();
  });
  const post = (body: unknown, key = apiKey) => fetch(`${own.baseUrl}/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("GET /v1/models lists its models for the API key only", async () => {
    const ok = await fetch(`${own.baseUrl}/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(await ok.json()).toEqual({ object: "list", data: [expect.objectContaining({ id: "m-1", object: "model" }), expect.objectContaining({ id: "m-2" })] });
    expect((await fetch(`${own.baseUrl}/models`)).status).toBe(401);
  });

  it("refuses what OpenAI refuses, in OpenAI's error shape: bad JSON, an unknown model, a tool message answering no call", async () => {
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const unknown = await post({ model: "gpt-nope", messages: [{ role: "user", content: "x" }] });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "model_not_found" } });
    const orphan = await post({ model: "m-1", messages: [{ role: "user", content: "x" }, { role: "tool", tool_call_id: "call_9", content: "{}" }] });
    expect(orphan.status).toBe(400);
  });

  it("the control endpoints take the control key, not the API key", async () => {
    const control = (key: string) => fetch(`${own.url}/control/requests`, { headers: { authorization: `Bearer ${key}` } });
    expect((await control(apiKey)).status).toBe(401);
    expect((await control(controlKey)).status).toBe(200);
    const steps = await fetch(`${own.url}/control/scenarios/x`, { method: "POST", headers: { authorization: `Bearer ${controlKey}` }, body: JSON.stringify({ steps: [{ reply: "nonsense" }] }) });
    expect(steps.status).toBe(400);
  });

  it("stops at once with an answer still pending, and its port then refuses", async () => {
    const other = await startLlmStandIn({ apiKey, controlKey });
    await fetch(`${other.url}/control/scenarios/slow`, { method: "POST", headers: { authorization: `Bearer ${controlKey}` }, body: JSON.stringify({ steps: [{ reply: "default", delayMs: 60_000 }] }) });
    const pending = fetch(`${other.baseUrl}/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "x-llm-scenario": "slow" }, body: JSON.stringify({ model: "ai-office-stand-in", messages: [{ role: "user", content: "x" }] }) }).then(
      (r) => r.status,
      () => "closed",
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await pending;
    await expect(fetch(`${other.baseUrl}/models`)).rejects.toThrow();
  });
});
