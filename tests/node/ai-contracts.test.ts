// The runtime's contract checks: every violation is a typed code, and what passes is the parsed value.
import { describe, expect, it } from "vitest";
import { checkTaskInput, checkTaskOutput, checkToolCall } from "../../functions/lib/ai/contracts/validate.ts";
import { WORKER_KINDS } from "../../functions/lib/ai/contracts/index.ts";
import { risksOf, TOOLS } from "../../functions/lib/ai/tools.ts";

const id = "10000000-0000-4000-8000-000000000001";
const code = (r: { ok: boolean; violation?: { code: string } }) => (r.ok ? "ok" : r.violation!.code);

describe("AI capability contracts", () => {
  it("every task names only tools that exist, and every kind's config has defaults for an empty object", () => {
    for (const k of Object.values(WORKER_KINDS)) {
      expect(k.config.safeParse({}).success).toBe(true);
      for (const t of Object.values(k.tasks)) for (const tool of t.tools) expect(Object.hasOwn(TOOLS, tool)).toBe(true);
    }
  });

  it("task input: unknown kind, unknown task (also an inherited property name) and a bad input are typed", () => {
    expect(code(checkTaskInput("janitor", "x", {}))).toBe("unknown_worker_kind");
    expect(code(checkTaskInput("office_assistant", "summarize_everything", {}))).toBe("unknown_task");
    expect(code(checkTaskInput("office_assistant", "toString", {}))).toBe("unknown_task");
    const bad = checkTaskInput("office_assistant", "summarize_customer", { customerId: "nope" });
    expect(bad).toMatchObject({ ok: false, violation: { code: "invalid_task_input", paths: ["customerId"] } });
    expect(checkTaskInput("office_assistant", "summarize_customer", { customerId: id })).toEqual({ ok: true, value: { customerId: id } });
  });

  it("tool calls: unknown tool, a tool outside the task's contract, non-JSON and wrong arguments are typed", () => {
    expect(code(checkToolCall("office_assistant", "summarize_customer", { name: "rm_rf", arguments: "{}" }))).toBe("unknown_tool");
    expect(code(checkToolCall("office_assistant", "summarize_customer", { name: "constructor", arguments: "{}" }))).toBe("unknown_tool");
    expect(code(checkToolCall("office_assistant", "summarize_customer", { name: "delete_task", arguments: JSON.stringify({ taskId: id }) }))).toBe("tool_not_in_contract");
    expect(code(checkToolCall("office_assistant", "summarize_customer", { name: "find_customer_history", arguments: "{customerId:" }))).toBe("malformed_tool_arguments");
    expect(code(checkToolCall("office_assistant", "summarize_customer", { name: "find_customer_history", arguments: JSON.stringify({ customerId: id, extra: 1 }) }))).toBe("invalid_tool_arguments");
    expect(checkToolCall("office_assistant", "summarize_customer", { name: "find_customer_history", arguments: JSON.stringify({ customerId: id }) })).toEqual({
      ok: true,
      value: { name: "find_customer_history", args: { customerId: id, limit: 50 } },
    });
  });

  it("task output that does not match its schema is typed", () => {
    expect(code(checkTaskOutput("office_assistant", "summarize_tasks", { summary: "" }))).toBe("invalid_task_output");
    expect(code(checkTaskOutput("office_assistant", "summarize_tasks", { summary: "Two tasks due", highlights: [] }))).toBe("ok");
  });

  it("risks: a tool's own risk, and bulk above the business's threshold", () => {
    expect(risksOf("delete_task", { taskId: id }, 25)).toEqual(["delete"]);
    expect(risksOf("send_customer_message", {}, 25)).toEqual(["message_customer"]);
    expect(risksOf("update_tasks", { taskIds: Array(25).fill(id), status: "done" }, 25)).toEqual([]);
    expect(risksOf("update_tasks", { taskIds: Array(26).fill(id), status: "done" }, 25)).toEqual(["bulk"]);
    expect(risksOf("create_task", { title: "x" }, 25)).toEqual([]);
  });
});
