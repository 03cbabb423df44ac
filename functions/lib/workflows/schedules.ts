// A scheduled workflow's QStash schedule: id wf:{workflow} (stable, so creating it again
// updates it), cron in the workflow's IANA time zone (CRON_TZ=…, which QStash and the local
// stand-in evaluate across DST), delivering the `workflow-schedule` job. It exists exactly while
// the workflow is active with a scheduled trigger: activate/update create or update it,
// deactivate (or a version with another trigger) removes it. Called after the database commit;
// if QStash fails the request is 503 and repeating it (idempotent) converges.
import { Client } from "@upstash/qstash";
import type { AppEnv } from "../../../shared/env.ts";
import { ApiError } from "../../../shared/errors.ts";
import type { Trigger } from "./definition.ts";

export const scheduleId = (workflowId: string) => `wf:${workflowId}`;

export async function syncSchedule(
  env: AppEnv,
  tenantId: string,
  workflow: { id: string; active: boolean; trigger: Trigger },
  /** Whether a schedule may exist now (the workflow's trigger was scheduled before this change). */
  wasScheduled = workflow.trigger.type === "scheduled",
): Promise<void> {
  const wanted = workflow.active && workflow.trigger.type === "scheduled";
  if (!wanted && !wasScheduled) return;
  const client = new Client({ baseUrl: env.QSTASH_URL, token: env.QSTASH_TOKEN });
  const id = scheduleId(workflow.id);
  try {
    if (wanted && workflow.trigger.type === "scheduled") {
      await client.schedules.create({
        scheduleId: id,
        destination: `${env.PUBLIC_API_URL.replace(/\/$/, "")}/hooks/qstash/workflow-schedule`,
        cron: `CRON_TZ=${workflow.trigger.timeZone} ${workflow.trigger.cron}`,
        body: JSON.stringify({ tenantId, workflowId: workflow.id }),
        headers: { "content-type": "application/json" },
        retries: 3,
      });
    } else {
      await client.schedules.delete(id).catch((e: unknown) => {
        // Nothing to remove (never scheduled, or removed before): the goal state holds.
        if (!/not found|404/i.test(String(e))) throw e;
      });
    }
  } catch (e) {
    throw new ApiError("unavailable", "the workflow's schedule could not be updated; repeat the request", { cause: e });
  }
}
