// Every 5 minutes (QStash schedule "task-overdue-scan"): writes task.overdue into the event log
// once per (task, due date) for open tasks whose due date passed (private.emit_overdue_tasks; its
// unique index makes a repeated or concurrent scan a no-op). Bounded: batches of BATCH, at most
// MAX_BATCHES per run; what is left waits for the next run.
import { z } from "zod";
import { defineJob } from "./types.ts";

export const TASK_OVERDUE_SCHEDULE_ID = "task-overdue-scan";
export const TASK_OVERDUE_CRON = "*/5 * * * *";
const BATCH = 200;
const MAX_BATCHES = 10;

export const taskOverdueScan = defineJob({
  name: "task-overdue-scan",
  payload: z.looseObject({}),
  async run({ tx }) {
    let emitted = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const batch = await tx((q) => q.one<{ n: number }>("select private.emit_overdue_tasks($1) as n", [BATCH]));
      const n = Number(batch?.n ?? 0);
      emitted += n;
      if (n < BATCH) break;
    }
    return { emitted };
  },
});
