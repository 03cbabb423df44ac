// Every worker kind the product offers, by name.
import { officeAssistant } from "./office-assistant.ts";
import { receptionist } from "./receptionist.ts";
import { scheduler } from "./scheduler.ts";
import type { WorkerKindContract } from "./types.ts";

export const WORKER_KINDS = { office_assistant: officeAssistant, scheduler, receptionist } as const satisfies Record<string, WorkerKindContract>;
export type WorkerKind = keyof typeof WORKER_KINDS;
export const WORKER_KIND_NAMES = Object.keys(WORKER_KINDS) as [WorkerKind, ...WorkerKind[]];
