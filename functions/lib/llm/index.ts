// The model provider: an OpenAI-compatible chat-completions client (MiniMax, OpenAI, Workers AI),
// configured from the Worker's env. Locally and in tests LLM_BASE_URL points at the stand-in
// (scripts/llm-stand-in/server.ts), so tests exercise this very code path.
import type { AppEnv } from "../../../shared/env.ts";
import { createLlmClient, type LlmClient, type LlmDeps } from "./client.ts";

export { createLlmClient, LLM_DEFAULTS, retryAfter, type LlmClient, type LlmConfig, type LlmDeps } from "./client.ts";
export { isLlmError, LLM_ERROR_CODES, LlmError, type LlmErrorCode } from "./errors.ts";
export { defineTool, resolveToolCall, type ResolvedToolCall, type Tool } from "./tools.ts";
export type { ChatMessage, ChatRequest, ChatResult, FinishReason, ToolCall, ToolChoice, ToolSpec, Usage } from "./types.ts";

export type LlmEnv = Pick<AppEnv, "LLM_BASE_URL" | "LLM_MODEL" | "LLM_API_KEY" | "LLM_TIMEOUT_MS">;

export function llmClientFromEnv(env: LlmEnv, deps: LlmDeps = {}): LlmClient {
  return createLlmClient({ baseUrl: env.LLM_BASE_URL, model: env.LLM_MODEL, apiKey: env.LLM_API_KEY, timeoutMs: env.LLM_TIMEOUT_MS }, deps);
}
