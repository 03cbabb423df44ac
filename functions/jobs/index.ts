// Every job QStash may deliver, by name.
import { agentRunStep } from "./agent-run-step.ts";
import { adhocReminder } from "./adhoc-reminder.ts";
import { appointmentReminder } from "./appointment-reminder.ts";
import { destinationVerification } from "./destination-verification.ts";
import { digestSweep } from "./digest-sweep.ts";
import { invitationEmail } from "./invitation-email.ts";
import { outboxDrain } from "./outbox-drain.ts";
import { taskOverdueScan } from "./task-overdue-scan.ts";
import type { Job } from "./types.ts";
import { usageFlush } from "./usage-flush.ts";
import { webhookDelivery } from "./webhook-delivery.ts";
import { workflowSchedule } from "./workflow-schedule.ts";
import { workflowStep } from "./workflow-step.ts";

export const jobs: Record<string, Job> = Object.fromEntries(
  [usageFlush, appointmentReminder, adhocReminder, outboxDrain, invitationEmail, webhookDelivery, workflowStep, workflowSchedule, destinationVerification, taskOverdueScan, digestSweep, agentRunStep].map((j) => [j.name, j as Job]),
);
