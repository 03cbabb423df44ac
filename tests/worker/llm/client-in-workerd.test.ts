// The model client runs inside workerd (the vitest Workers integration), configured from the
// Worker's own env exactly as a run step will build it, against the LLM stand-in: fetch,
// AbortSignal.timeout/any and timers behave there as in Node (tests/node/conformance/llm-client.test.ts
// covers every scripted behaviour; here the ones that depend on the runtime).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLlmClient, defineTool, isLlmError, llmClientFromEnv, resolveToolCall, type ChatMessage } from "../../../functions/lib/llm/index.ts";
import { EnvSchema } from "../../../shared/env.ts";
import { llmMarker, llmRequests, llmScenario, scriptLlm } from "../../support/llm.ts";

const appEnv = EnvSchema.parse(env);
const summarize = defineTool("summarize_history", "Summarize a customer's history", z.object({ customerId: z.uuid(), maxWords: z.number().int().min(10).max(300) }));
const conversation = (scenario: string, user: string): ChatMessage[] => [
  { role: "system", content: `You draft office summaries. ${llmMarker(scenario)}` },
  { role: "user", content: user },
];

describe("LLM client inside workerd, configured from the Worker's env", () => {
  it("the env points at the stand-in with its key and model", () => {
    expect(appEnv.LLM_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(appEnv.LLM_MODEL).toBe("ai-office-stand-in");
    expect(appEnv.LLM_API_KEY).toBeTruthy();
  });

  it("a tool call and its result round-trip", async () => {
    const s = llmScenario("workerd-tools");
    const client = llmClientFromEnv(appEnv);
    const messages = conversation(s, 'summarize_history {"customerId":"6f1c1f3e-8d3c-4a51-9a55-0d2b8f6b1e11","maxWords":80}');
    const first = await client.chat({ messages, tools: [summarize] });
    const call = resolveToolCall(first.toolCalls[0]!, [summarize]);
    expect(call).toMatchObject({ ok: true, name: "summarize_history", args: { customerId: "6f1c1f3e-8d3c-4a51-9a55-0d2b8f6b1e11", maxWords: 80 } });
    const second = await client.chat({ messages: [...messages, { role: "assistant", content: null, toolCalls: first.toolCalls }, { role: "tool", toolCallId: first.toolCalls[0]!.id, content: "3 visits" }], tools: [summarize] });
    expect(second).toMatchObject({ content: "Done: summarize_history returned 3 visits", finishReason: "stop", attempts: 1 });
    expect((await llmRequests(s)).map((r) => [r.authorized, r.status])).toEqual([[true, 200], [true, 200]]);
  });

  it("429 with Retry-After then success, and a timeout on every attempt, behave as in Node", async () => {
    const limited = llmScenario("workerd-429");
    await scriptLlm(limited, [{ reply: "error", status: 429, retryAfter: "1" }, { reply: "text", content: "ok", usage: { prompt_tokens: 11, completion_tokens: 2 } }]);
    const started = Date.now();
    const result = await llmClientFromEnv(appEnv).chat({ messages: conversation(limited, "x") });
    expect(result).toMatchObject({ content: "ok", attempts: 2, usage: { promptTokens: 11, completionTokens: 2 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

    const slow = llmScenario("workerd-timeout");
    await scriptLlm(slow, [{ reply: "default", delayMs: 3_000, times: 2 }]);
    const client = createLlmClient({ baseUrl: appEnv.LLM_BASE_URL, model: appEnv.LLM_MODEL, apiKey: appEnv.LLM_API_KEY, timeoutMs: 500, maxAttempts: 2, baseDelayMs: 50 });
    const e = await client.chat({ messages: conversation(slow, "x") }).catch((err: unknown) => err);
    expect(isLlmError(e) && [e.code, e.attempts], String(e)).toEqual(["timeout", 2]);
    expect(await llmRequests(slow)).toHaveLength(2);
  });
});
