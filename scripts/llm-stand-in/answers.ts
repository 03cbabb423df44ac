// What the LLM stand-in answers: the request it accepts (zod), the deterministic default answer,
// and the scripted steps tests queue per scenario. Default answers, in order:
//   - tools offered (tool_choice not "none") and the last message is the user's and names an
//     offered tool (or tool_choice forces one): a call of that tool; its arguments are the JSON
//     object written right after the tool's name in the message, else a minimal value built from
//     the tool's JSON Schema;
//   - the last message is a tool result: "Done: <tool> returned <result>";
//   - otherwise a plain summary of the user messages: "Summary (N words): <first sentences>".
import { z } from "zod";

/** The model id the stand-in serves by default (LLM_MODEL in dev and tests). */
export const STAND_IN_MODEL = "ai-office-stand-in";

export const MARKER = /\[llm-scenario:([A-Za-z0-9_.:-]{1,100})\]/;

const ToolCallIn = z.object({ id: z.string().min(1), type: z.literal("function"), function: z.object({ name: z.string(), arguments: z.string() }) });
const Message = z.discriminatedUnion("role", [
  z.object({ role: z.enum(["system", "developer"]), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string(), name: z.string().optional() }),
  z.object({ role: z.literal("assistant"), content: z.string().nullable().optional(), tool_calls: z.array(ToolCallIn).optional() }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: z.string() }),
]);
export const ChatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
  tools: z
    .array(z.object({ type: z.literal("function"), function: z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }) }))
    .optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) })]).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.literal(false).optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

const Usage = z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() });
const common = {
  /** Wait this long before answering: a client with a shorter deadline sees a timeout. */
  delayMs: z.number().int().min(0).max(300_000).optional(),
  /** Use this step for this many requests (default 1). */
  times: z.number().int().min(1).max(1000).optional(),
  /** Token usage to report; null leaves usage out. Default: counted from the text. */
  usage: Usage.nullable().optional(),
};
export const Step = z.discriminatedUnion("reply", [
  z.object({ reply: z.literal("default"), ...common }),
  z.object({ reply: z.literal("text"), content: z.string(), finishReason: z.string().optional(), ...common }),
  z.object({
    reply: z.literal("tool_calls"),
    content: z.string().nullable().optional(),
    // Any name and any arguments: wrong tool names and schema-breaking arguments are the point.
    toolCalls: z.array(z.object({ id: z.string().optional(), name: z.string(), arguments: z.union([z.string(), z.record(z.string(), z.unknown())]) })).min(1),
    ...common,
  }),
  // openai: message.refusal; content_filter: finish_reason content_filter; minimax: base_resp 1027.
  z.object({ reply: z.literal("refusal"), refusal: z.string().default("I can't help with that."), style: z.enum(["openai", "content_filter", "minimax"]).default("openai"), ...common }),
  z.object({ reply: z.literal("error"), status: z.number().int().min(400).max(599), message: z.string().optional(), retryAfter: z.string().optional(), ...common }),
  // Anything else, byte for byte: malformed JSON, a body that is not a completion, odd headers.
  z.object({ reply: z.literal("raw"), status: z.number().int().min(100).max(599).default(200), body: z.string(), contentType: z.string().default("application/json"), headers: z.record(z.string(), z.string()).optional(), ...common }),
]);
export type Step = z.infer<typeof Step>;
/** A step as a test writes it (defaults left out). */
export type StepInput = z.input<typeof Step>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Call = { id: string; name: string; arguments: string };
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** The answer to a request: a scripted step, or the default when none is queued. */
export function answer(request: ChatRequest, step: Step | undefined, seq: number): Answer {
  const s = step ?? { reply: "default" as const };
  const completion = (content: string | null, calls: Call[], finish: string, extra: Record<string, unknown> = {}, refusal?: string) => {
    const message: Record<string, unknown> = { role: "assistant", content };
    if (calls.length > 0) message.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
    if (refusal !== undefined) message.refusal = refusal;
    const counted = { prompt_tokens: promptTokens(request), completion_tokens: tokens(`${content ?? ""}${refusal ?? ""}${calls.map((c) => c.name + c.arguments).join("")}`) };
    const usage = s.usage === null ? undefined : (s.usage ?? counted);
    const body = {
      id: `chatcmpl-standin-${seq}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model: request.model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
      ...extra,
    };
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  };
  switch (s.reply) {
    case "default": {
      const d = defaultAnswer(request, seq);
      return completion(d.content, d.calls, d.calls.length > 0 ? "tool_calls" : "stop");
    }
    case "text":
      return completion(s.content, [], s.finishReason ?? "stop");
    case "tool_calls":
      return completion(s.content ?? null, s.toolCalls.map((c, i) => ({ id: c.id ?? `call_${seq}_${i}`, name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) })), "tool_calls");
    case "refusal":
      if (s.style === "openai") return completion(null, [], "stop", {}, s.refusal);
      if (s.style === "content_filter") return completion("", [], "content_filter");
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ id: `chatcmpl-standin-${seq}`, choices: [], input_sensitive: false, output_sensitive: true, output_sensitive_type: 7, base_resp: { status_code: 1027, status_msg: s.refusal } }) };
    case "error": {
      const type = s.status === 429 ? "rate_limit_exceeded" : s.status >= 500 ? "server_error" : "invalid_request_error";
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (s.retryAfter !== undefined) headers["retry-after"] = s.retryAfter;
      return { status: s.status, headers, body: JSON.stringify({ error: { message: s.message ?? `scripted ${s.status}`, type, code: type, param: null } }) };
    }
    case "raw":
      return { status: s.status, headers: { "content-type": s.contentType, ...s.headers }, body: s.body };
  }
}

function promptTokens(request: ChatRequest): number {
  return request.messages.reduce((n, m) => n + 4 + tokens(("content" in m && m.content) || ""), 0);
}

function defaultAnswer(request: ChatRequest, seq: number): { content: string | null; calls: Call[] } {
  const last = request.messages.at(-1)!;
  const tools = request.tool_choice === "none" ? [] : (request.tools ?? []).map((t) => t.function);
  if (tools.length > 0 && last.role === "user") {
    const text = last.content;
    const choice = request.tool_choice;
    const forced = typeof choice === "object" ? tools.find((t) => t.name === choice.function.name) : undefined;
    const named = tools.filter((t) => new RegExp(`(^|[^A-Za-z0-9_-])${t.name}($|[^A-Za-z0-9_-])`).test(text));
    const tool = forced ?? named[0] ?? (request.tool_choice === "required" ? tools[0] : undefined);
    if (tool) return { content: null, calls: [{ id: `call_${seq}_0`, name: tool.name, arguments: JSON.stringify(argumentsFor(text, tool.name, tool.parameters)) }] };
  }
  if (last.role === "tool") {
    const call = request.messages.flatMap((m) => (m.role === "assistant" ? (m.tool_calls ?? []) : [])).find((c) => c.id === last.tool_call_id);
    return { content: `Done: ${call?.function.name ?? "the tool"} returned ${clip(last.content, 200)}`, calls: [] };
  }
  const userText = request.messages.flatMap((m) => (m.role === "user" ? [m.content.replace(MARKER, " ")] : [])).join(" ").replace(/\s+/g, " ").trim();
  const words = userText === "" ? 0 : userText.split(" ").length;
  const sentences = userText.split(/(?<=[.!?])\s+/).slice(0, 2).join(" ");
  return { content: `Summary (${words} words): ${clip(sentences, 240) || "(nothing to summarize)"}`, calls: [] };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The JSON object written right after the tool's name in the text, else a minimal valid value. */
function argumentsFor(text: string, name: string, schema: Record<string, unknown> | undefined): unknown {
  const after = text.slice(text.indexOf(name) + name.length).trimStart();
  if (after.startsWith("{")) {
    for (let end = after.indexOf("}"); end !== -1; end = after.indexOf("}", end + 1)) {
      try {
        return JSON.parse(after.slice(0, end + 1)) as unknown;
      } catch {
        // not yet a whole object: try the next closing brace
      }
    }
  }
  return exampleOf(schema ?? { type: "object" });
}

/** A small deterministic value that satisfies a (simple) JSON Schema: required properties only. */
export function exampleOf(schema: Record<string, unknown>): unknown {
  if ("const" in schema) return schema.const;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (alternatives?.[0]) return exampleOf(alternatives[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((k) => [k, exampleOf(properties[k] ?? {})]));
    }
    case "array":
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => exampleOf((schema.items ?? {}) as Record<string, unknown>));
    case "integer":
    case "number":
      return typeof schema.minimum === "number" && schema.minimum > 0 ? schema.minimum : typeof schema.maximum === "number" && schema.maximum < 0 ? schema.maximum : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    case "string": {
      const byFormat: Record<string, string> = { date: "2026-01-05", "date-time": "2026-01-05T09:00:00.000Z", time: "09:00:00", email: "someone@example.test", uuid: "00000000-0000-4000-8000-000000000000", uri: "https://example.test/" };
      const value = byFormat[String(schema.format)] ?? "example";
      return value.padEnd(Number(schema.minLength ?? 0), "x");
    }
    default:
      return {};
  }
}
