// A deterministic text summary of the outputs before it (no LLM yet): the same outputs always
// give the same text, so a retried or redelivered step stores the same result.
import { AppointmentsOutput, SummaryOutput, TaskCountsOutput } from "./outputs.ts";
import { defineAction } from "./types.ts";

export function summarize(previous: unknown[]): string[] {
  const lines: string[] = [];
  for (const out of previous) {
    const appts = AppointmentsOutput.safeParse(out);
    if (appts.success) {
      const list = appts.data.appointments;
      lines.push(`${list.length} appointment${list.length === 1 ? "" : "s"}`);
      for (const a of list) lines.push(`- ${a.startsAt} ${a.title} (${a.status})`);
      continue;
    }
    const tasks = TaskCountsOutput.safeParse(out);
    if (tasks.success) {
      const t = tasks.data.tasks;
      lines.push(`Tasks: ${t.total} total, ${t.open} open, ${t.inProgress} in progress, ${t.blocked} blocked, ${t.done} done, ${t.overdue} overdue`);
    }
  }
  return lines;
}

export const generateSummary = defineAction({
  type: "generate_summary",
  output: SummaryOutput,
  async run({ config, previous }) {
    const lines = summarize(previous);
    return { summary: { title: config.title, text: lines.length ? lines.join("\n") : "Nothing to report." } };
  },
});
