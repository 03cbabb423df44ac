// The recurring jobs, as QStash schedules with stable ids: creating one again updates it in
// place, so this runs at every deploy and every `npm run dev` start.
import { Client } from "@upstash/qstash";
import { DIGEST_SWEEP_CRON, DIGEST_SWEEP_SCHEDULE_ID } from "../../functions/jobs/digest-sweep.ts";
import { OUTBOX_DRAIN_CRON, OUTBOX_DRAIN_SCHEDULE_ID } from "../../functions/jobs/outbox-drain.ts";
import { TASK_OVERDUE_CRON, TASK_OVERDUE_SCHEDULE_ID } from "../../functions/jobs/task-overdue-scan.ts";
import { USAGE_FLUSH_CRON, USAGE_FLUSH_SCHEDULE_ID } from "../../functions/jobs/usage-flush.ts";

export const SCHEDULES = [
  { id: USAGE_FLUSH_SCHEDULE_ID, job: "usage-flush", cron: USAGE_FLUSH_CRON },
  { id: OUTBOX_DRAIN_SCHEDULE_ID, job: "outbox-drain", cron: OUTBOX_DRAIN_CRON },
  { id: DIGEST_SWEEP_SCHEDULE_ID, job: "digest-sweep", cron: DIGEST_SWEEP_CRON },
  { id: TASK_OVERDUE_SCHEDULE_ID, job: "task-overdue-scan", cron: TASK_OVERDUE_CRON },
];

/** The local stack flushes usage every minute, so /v1/usage shows a request within a minute. */
const DEV_CRONS: Record<string, string> = { [USAGE_FLUSH_SCHEDULE_ID]: "* * * * *" };

export async function syncSchedules(options: { qstashUrl: string; token: string; publicApiUrl: string; dev?: boolean }): Promise<string[]> {
  const client = new Client({ baseUrl: options.qstashUrl, token: options.token });
  const base = options.publicApiUrl.replace(/\/$/, "");
  const schedules = SCHEDULES.map((s) => ({ ...s, cron: (options.dev && DEV_CRONS[s.id]) || s.cron }));
  for (const s of schedules) {
    await client.schedules.create({ scheduleId: s.id, destination: `${base}/hooks/qstash/${s.job}`, cron: s.cron, retries: 3 });
  }
  return schedules.map((s) => `${s.id} (${s.cron}) → ${base}/hooks/qstash/${s.job}`);
}
