// A step's failure, typed: a code the step log shows, and whether trying again may succeed
// (retryable failures are retried with backoff from the same step; the others fail the
// execution at once).
export type StepErrorCode =
  | "recipient_not_found"
  | "url_refused"
  | "agent_workers_not_available"
  | "agent_worker_not_found"
  | "agent_worker_inactive"
  | "assignee_inactive"
  | "invalid_input"
  | "transient";

export class StepError extends Error {
  constructor(
    readonly code: StepErrorCode,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "StepError";
  }
}
