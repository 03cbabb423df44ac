// Runs one delivery of one step of an AI worker's run (job `agent-run-step`), on the durable-step
// pattern of workflows: the step is claimed in Postgres (a duplicate, late or early delivery
// claims nothing and is a no-op), then finished in one transaction that also queues the next step.
//
// - A tool step runs wholly inside private.ai_run_claim: the policy check (an approval request
//   and `awaiting_approval` when the policy asks for one), the tool itself (a narrow
//   security-definer function acting only in the run's tenant), its result and the next step —
//   one transaction, so a tool's effect happens exactly once however often the step is delivered.
// - A model step reserves its estimated tokens against the month's budget (over budget: the run
//   stops as `budget_exceeded` and no call is made), calls the model, checks every proposed tool
//   call against the contract (any violation: the run fails with its typed code and nothing runs)
//   or the final answer against the task's output schema, and settles the reservation.
// Counters (agent_runs, tokens_in, tokens_out) are metered only by the delivery whose claim or
// finish took effect, so a step delivered 3× meters once.
import type { JobContext } from "../../../jobs/types.ts";
import { isLlmError, llmClientFromEnv, type ChatResult } from "../../llm/index.ts";
import { meter } from "../../usage.ts";
import { checkTaskOutput, checkToolCall, type ContractViolation } from "../contracts/validate.ts";
import { TOOLS, type ToolDef } from "../tools.ts";
import { costUsd } from "./cost.ts";
import { buildMessages, estimateTokens, parseFinalAnswer, toolsFor, type ModelContext } from "./prompt.ts";

export const MAX_ATTEMPTS = 5;
/** The most a model turn may write. */
export const MAX_OUTPUT_TOKENS = 1024;
/** 10 s, 20 s, 40 s, 80 s before attempt n + 1 (at least the provider's Retry-After). */
export const backoffSeconds = (attempt: number) => Math.min(10 * 2 ** (attempt - 1), 900);
const RETRYABLE = new Set(["timeout", "rate_limited", "provider_error", "transient"]);

export interface RunDelivery {
  tenantId: string;
  runId: string;
  stepIndex: number;
  attempt: number;
}

type Claim = { outcome: string; kind: "model" | "tool" | null; context: Record<string, unknown> | null };

export async function runAgentStep(job: JobContext, d: RunDelivery): Promise<Record<string, unknown>> {
  const args = [d.tenantId, d.runId, d.stepIndex, d.attempt];
  const claim = await job.tx((q) => q.one<Claim>("select * from private.ai_run_claim($1, $2, $3, $4)", args));
  if (!claim || claim.outcome === "noop") return { outcome: "noop" };
  // The first step's first claim happens once per run: one agent run.
  if (d.stepIndex === 0 && d.attempt === 1 && claim.outcome === "claimed") await meterSafely(job, d.tenantId, { agent_runs: 1 });
  if (claim.outcome !== "claimed") return { outcome: claim.outcome, kind: claim.kind, ...claim.context };

  const ctx = claim.context as unknown as ModelContext;
  const messages = buildMessages(ctx);
  const tools = toolsFor(ctx.workerKind, ctx.task);
  const estimate = estimateTokens(messages, tools) + MAX_OUTPUT_TOKENS;
  const reserved = await job.tx((q) => q.one<{ r: string }>("select private.ai_budget_reserve($1, $2, $3, $4, $5) as r", [...args, estimate]));
  if (reserved?.r === "exceeded") return { outcome: "budget_exceeded" };
  if (reserved?.r !== "reserved") return { outcome: "noop" };

  const started = Date.now();
  let result: ChatResult;
  try {
    result = await llmClientFromEnv(job.env, { log: job.log }).chat({ messages, tools, toolChoice: "auto", maxTokens: MAX_OUTPUT_TOKENS, temperature: 0 });
  } catch (e) {
    const code = isLlmError(e) ? e.code : "transient";
    if (!isLlmError(e)) job.log("warn", "agent model step failed", { runId: d.runId, step: d.stepIndex, error: String(e) });
    const waitMs = Math.max(backoffSeconds(d.attempt) * 1000, isLlmError(e) ? (e.retryAfterMs ?? 0) : 0);
    const retryAt = RETRYABLE.has(code) && d.attempt < MAX_ATTEMPTS ? new Date(job.now.getTime() + waitMs).toISOString() : null;
    const usage = isLlmError(e) ? e.usage : null;
    const [tin, tout] = [usage?.promptTokens ?? 0, usage?.completionTokens ?? 0];
    const message = e instanceof Error ? e.message : String(e);
    const row = await job.tx((q) =>
      q.one<{ outcome: string }>("select private.ai_model_step_failed($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) as outcome", [
        ...args, code, message, retryAt, tin, tout, Date.now() - started,
      ]),
    );
    if (row?.outcome !== "noop" && tin + tout > 0) await meterSafely(job, d.tenantId, { tokens_in: tin, tokens_out: tout });
    return { outcome: row?.outcome, error: code, retryAt };
  }

  const tokensIn = result.usage?.promptTokens ?? estimate - MAX_OUTPUT_TOKENS;
  const tokensOut = result.usage?.completionTokens ?? Math.ceil(((result.content ?? "").length + JSON.stringify(result.toolCalls).length) / 4);
  const judged = judge(ctx, result);
  const payload = {
    content: result.content,
    toolCalls: result.toolCalls,
    tokensIn,
    tokensOut,
    costUsd: costUsd(tokensIn, tokensOut),
    durationMs: Date.now() - started,
    ...judged,
  };
  const row = await job.tx((q) => q.one<{ outcome: string }>("select private.ai_model_step_finish($1, $2, $3, $4, $5) as outcome", [...args, JSON.stringify(payload)]));
  if (row?.outcome !== "noop") await meterSafely(job, d.tenantId, { tokens_in: tokensIn, tokens_out: tokensOut });
  return { outcome: row?.outcome, ...("violation" in judged ? { error: judged.violation.code } : {}), ...("calls" in judged ? { calls: judged.calls.map((c) => c.name) } : {}) };
}

type Judged =
  | { violation: ContractViolation }
  | { calls: { callId: string; name: string; args: unknown; risks: string[]; records: number | null }[] }
  | { output: unknown };

/** What the answer means under the contract: validated tool calls, the final output, or a violation. */
function judge(ctx: ModelContext, result: ChatResult): Judged {
  if (result.toolCalls.length > 0) {
    const calls = [];
    for (const call of result.toolCalls) {
      const checked = checkToolCall(ctx.workerKind, ctx.task, call);
      // One bad call fails the whole turn: nothing of it runs.
      if (!checked.ok) return { violation: checked.violation };
      const def = TOOLS[checked.value.name] as ToolDef;
      calls.push({ callId: call.id, name: checked.value.name, args: checked.value.args, risks: def.risk ? [def.risk] : [], records: def.records ? def.records(checked.value.args) : null });
    }
    return { calls };
  }
  const answer = parseFinalAnswer(result.content);
  if (!answer.ok) return { violation: { code: "invalid_task_output", message: `the final answer of ${ctx.task} is not a JSON object` } };
  const checked = checkTaskOutput(ctx.workerKind, ctx.task, answer.value);
  return checked.ok ? { output: checked.value } : { violation: checked.violation };
}

/** Metering fails open (as for requests): the step's work is done either way. */
async function meterSafely(job: JobContext, tenantId: string, amounts: Partial<Record<"agent_runs" | "tokens_in" | "tokens_out", number>>) {
  await Promise.all(
    Object.entries(amounts)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([metric, n]) => meter(job.redis, tenantId, metric as "agent_runs", n!, job.now)),
  ).catch((e: unknown) => job.log("warn", "metering failed", { error: String(e) }));
}
