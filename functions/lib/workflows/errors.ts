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
  | "appointment_not_found"
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

/**
 * Not a failure: the step must wait until `until` (a message due in the recipient's quiet hours).
 * The runner queues the same attempt again for then; the attempt is not counted as failed.
 */
export class StepDeferred extends Error {
  constructor(
    readonly until: Date,
    readonly reason: string,
  ) {
    super(`deferred until ${until.toISOString()}: ${reason}`);
    this.name = "StepDeferred";
  }
}
