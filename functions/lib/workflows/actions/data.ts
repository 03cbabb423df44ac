// Actions that read the tenant's data (as the workflow's tenant, through definer functions: the
// job has no user). Reads are idempotent by nature.
import { ApiError } from "../../../../shared/errors.ts";
import { StepError } from "../errors.ts";
import { AppointmentsOutput, TaskCountsOutput } from "./outputs.ts";
import { defineAction } from "./types.ts";

export const findAppointments = defineAction({
  type: "find_appointments",
  output: AppointmentsOutput,
  async run({ job, tenantId, config }) {
    const from = new Date(job.now.getTime() + config.fromHours * 3600_000);
    const to = new Date(from.getTime() + config.withinHours * 3600_000);
    const row = await job.tx((q) =>
      q.one<{ list: unknown }>("select private.workflow_find_appointments($1, $2, $3, $4, $5) as list", [
        tenantId,
        from.toISOString(),
        to.toISOString(),
        config.status ?? null,
        config.limit,
      ]),
    );
    return AppointmentsOutput.parse({ appointments: row?.list ?? [] });
  },
});

export const aggregateTasks = defineAction({
  type: "aggregate_tasks",
  output: TaskCountsOutput,
  async run({ job, tenantId, config }) {
    try {
      const row = await job.tx((q) =>
        q.one<{ counts: unknown }>("select private.workflow_aggregate_tasks($1, $2, $3) as counts", [
          tenantId,
          config.assignedTo ?? null,
          job.now.toISOString(),
        ]),
      );
      return TaskCountsOutput.parse({ tasks: row?.counts });
    } catch (e) {
      // A deactivated assignee may be reactivated (or the workflow updated): retry later.
      if (e instanceof ApiError && e.detail === "assignee_inactive") {
        throw new StepError("assignee_inactive", `member ${config.assignedTo} is not an active member`, true);
      }
      throw e;
    }
  },
});
