// What callers of the chat client see: messages in, one assistant turn out. Field names are
// camelCase here; wire.ts maps them to and from the OpenAI chat-completions JSON.

/** A tool call the model asked for: `arguments` is the model's JSON text, unparsed and unchecked. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string; name?: string }
  /** An earlier assistant turn, replayed as the provider returned it (MiniMax asks for the whole turn, <think> included). */
  | { role: "assistant"; content: string | null; toolCalls?: ToolCall[] }
  /** The result of a tool call, answering the assistant turn's call `toolCallId`. */
  | { role: "tool"; toolCallId: string; content: string };

/** A tool offered to the model: its JSON Schema is what the model sees (see tools.ts). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  maxTokens?: number;
  temperature?: number;
  /** The caller's cancellation (e.g. the run's own deadline); aborting it ends the call with `aborted`. */
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** Why the model stopped; anything a provider sends outside the usual four is "other". */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "other";

export interface ChatResult {
  /** The provider's completion id, when it sent one. */
  id: string | null;
  model: string | null;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Null when the provider reported no usage (the caller then estimates). */
  usage: Usage | null;
  /** Requests sent, the successful one included. */
  attempts: number;
}
