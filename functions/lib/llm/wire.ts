// The OpenAI chat-completions wire format, as OpenAI, MiniMax (api.minimax.io/v1) and Workers AI
// (…/ai/v1) speak it: the request body built from our types, and the response parsed with zod.
//
// Tolerated deviations seen on compatible stacks: `arguments` sent as a JSON object instead of a
// string (re-serialized), a tool call without an id (one is made up from its position), a null
// finish_reason, extra fields. MiniMax adds `base_resp: {status_code, status_msg}` (non-zero is an
// error, sometimes with HTTP 200) and `input_sensitive`/`output_sensitive` (its content filter).
import { z } from "zod";
import type { ChatMessage, ChatRequest, FinishReason, ToolCall, Usage } from "./types.ts";

const WireToolCall = z.object({
  id: z.string().min(1).optional(),
  type: z.string().optional(),
  function: z.object({
    name: z.string(),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown()).transform((o) => JSON.stringify(o))]).default(""),
  }),
});

const WireUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});

export const ChatCompletion = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z.array(WireToolCall).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: WireUsage.nullish(),
  input_sensitive: z.boolean().optional(),
  output_sensitive: z.boolean().optional(),
});
export type ChatCompletion = z.infer<typeof ChatCompletion>;

/** MiniMax's status block, looked for in any JSON answer (success or error). */
export const BaseResp = z.object({ base_resp: z.object({ status_code: z.number(), status_msg: z.string().nullish() }) });

/** The OpenAI error body: {error: {message, type, code}}. */
export const ErrorBody = z.object({ error: z.object({ message: z.string().nullish(), type: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }) });

const FINISH: Record<string, FinishReason> = { stop: "stop", length: "length", tool_calls: "tool_calls", function_call: "tool_calls", content_filter: "content_filter" };
export const finishReason = (raw: string | null | undefined): FinishReason => (raw ? (FINISH[raw] ?? "other") : "other");

export const usageOf = (u: z.infer<typeof WireUsage> | null | undefined): Usage | null => (u ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens } : null);

export function toolCallsOf(message: ChatCompletion["choices"][number]["message"]): ToolCall[] {
  return (message.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `call_${i}`, name: c.function.name, arguments: c.function.arguments }));
}

function wireMessage(m: ChatMessage): Record<string, unknown> {
  switch (m.role) {
    case "system":
      return { role: "system", content: m.content };
    case "user":
      return m.name ? { role: "user", content: m.content, name: m.name } : { role: "user", content: m.content };
    case "assistant":
      return m.toolCalls && m.toolCalls.length > 0
        ? { role: "assistant", content: m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) }
        : { role: "assistant", content: m.content ?? "" };
    case "tool":
      return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
  }
}

export function requestBody(model: string, request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: request.messages.map(wireMessage), stream: false };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
    const choice = request.toolChoice ?? "auto";
    body.tool_choice = typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
  }
  // max_tokens: what all three providers accept (MiniMax and OpenAI also take max_completion_tokens).
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}
