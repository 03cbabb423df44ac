// A scheduled workflow's fire (QStash schedule wf:{workflow}): starts one execution per fire.
// QStash keeps a message's id across its retries, so the message id names the fire: a
// redelivered fire finds its execution and starts nothing new.
import { z } from "zod";
import { defineJob } from "./types.ts";

export const workflowSchedule = defineJob({
  name: "workflow-schedule",
  payload: z.strictObject({ tenantId: z.uuid(), workflowId: z.uuid() }),
  async run({ tx, messageId, now }, p) {
    const fire = messageId ?? now.toISOString().slice(0, 16);
    const row = await tx((q) =>
      q.one<{ id: string | null }>("select private.workflow_start_scheduled($1, $2, $3) as id", [p.tenantId, p.workflowId, fire]),
    );
    return { executionId: row?.id ?? null };
  },
});
