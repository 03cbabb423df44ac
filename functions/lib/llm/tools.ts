// Tools are declared once, as zod schemas: the model is shown their JSON Schema (zod 4's
// z.toJSONSchema, input side), and what the model sends back is checked against the same schema.
// The client never trusts a tool call: resolveToolCall turns one into either a typed, parsed call
// of an offered tool, or a reason to reject it (unknown tool, arguments not JSON, arguments that
// break the schema). Deciding what to do about a rejected call is the caller's.
import { z } from "zod";
import type { ToolCall, ToolSpec } from "./types.ts";

export interface Tool<S extends z.ZodType = z.ZodType> extends ToolSpec {
  input: S;
}

/** OpenAI and MiniMax limit function names to letters, digits, _ and - (64 at most). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<S extends z.ZodType>(name: string, description: string, input: S): Tool<S> {
  if (!TOOL_NAME.test(name)) throw new Error(`tool name ${JSON.stringify(name)} is not [a-zA-Z0-9_-]{1,64}`);
  const { $schema: _dialect, ...parameters } = z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { name, description, parameters, input };
}

export type ResolvedToolCall =
  | { ok: true; id: string; name: string; args: unknown }
  | { ok: false; id: string; name: string; reason: "unknown_tool" | "invalid_json" | "invalid_arguments"; issues: { path: string; message: string }[] };

/** Matches a model's tool call to an offered tool and parses its arguments with the tool's schema. */
export function resolveToolCall(call: ToolCall, tools: readonly Tool[]): ResolvedToolCall {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return { ok: false, id: call.id, name: call.name, reason: "unknown_tool", issues: [] };
  let raw: unknown;
  try {
    // Some models send "" for a tool without parameters.
    raw = call.arguments.trim() === "" ? {} : (JSON.parse(call.arguments) as unknown);
  } catch (e) {
    return { ok: false, id: call.id, name: call.name, reason: "invalid_json", issues: [{ path: "", message: (e as Error).message }] };
  }
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, id: call.id, name: call.name, reason: "invalid_arguments", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
  }
  return { ok: true, id: call.id, name: call.name, args: parsed.data };
}
