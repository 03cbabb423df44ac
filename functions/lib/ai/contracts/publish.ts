// The contracts as JSON Schema, for GET /v1/ai/worker-kinds: computed once per isolate (they are
// code, not data). Input schemas are published as a caller writes them (defaults optional).
import { z } from "zod";
import { TOOLS, type ToolDef } from "../tools.ts";
import { WORKER_KINDS, WORKER_KIND_NAMES } from "./index.ts";
import type { TaskContract } from "./types.ts";

const schemaOf = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;

let published: unknown[] | undefined;

export function publishedKinds() {
  published ??= WORKER_KIND_NAMES.map((name) => {
    const k = WORKER_KINDS[name];
    return {
      kind: name,
      version: k.version,
      title: k.title,
      description: k.description,
      config: schemaOf(k.config, "input"),
      tasks: Object.entries(k.tasks as Record<string, TaskContract>).map(([task, t]) => ({
        name: task,
        description: t.description,
        risk: t.risk,
        input: schemaOf(t.input, "input"),
        output: schemaOf(t.output, "output"),
        tools: t.tools.map((tool) => {
          const def = TOOLS[tool] as ToolDef;
          return { name: tool, description: def.description, risk: def.risk ?? null, bulk: Boolean(def.records), arguments: schemaOf(def.args, "input") };
        }),
      })),
    };
  });
  return published;
}
