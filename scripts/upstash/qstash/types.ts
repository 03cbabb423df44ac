// The QStash stand-in's persisted model. Times are epoch milliseconds from the server's clock.

export interface StoredMessage {
  messageId: string;
  /** Destination URL; also the `sub` claim of the delivery signature. */
  url: string;
  method: string;
  /** Headers delivered to the destination (Upstash-Forward-* already unprefixed, plus Content-Type). */
  headers: Record<string, string>;
  bodyBase64: string;
  createdAt: number;
  /** When the next attempt is due (first delivery, then each retry). */
  notBefore: number;
  maxRetries: number;
  /** Failed attempts so far; sent as Upstash-Retried. */
  retried: number;
  retryDelayExpression?: string;
  timeoutMs?: number;
  callback?: string;
  failureCallback?: string;
  scheduleId?: string;
  deduplicationId?: string;
  label?: string;
  callerIp?: string;
  /** Callback deliveries are messages too, but never get callbacks of their own. */
  kind: "message" | "callback" | "failure-callback";
}

export interface StoredSchedule {
  scheduleId: string;
  cron: string;
  destination: string;
  method: string;
  headers: Record<string, string>;
  bodyBase64: string;
  retries: number;
  delayMs?: number;
  retryDelayExpression?: string;
  timeoutMs?: number;
  callback?: string;
  failureCallback?: string;
  label?: string;
  callerIp?: string;
  createdAt: number;
  isPaused: boolean;
  lastScheduleTime?: number;
  nextScheduleTime?: number;
  /** message id → outcome of the most recent runs, as Schedule.lastScheduleStates. */
  lastScheduleStates?: Record<string, "IN_PROGRESS" | "SUCCESS" | "FAIL">;
}

export interface DlqEntry {
  dlqId: string;
  message: StoredMessage;
  responseStatus?: number;
  responseHeaders?: Record<string, string[]>;
  responseBodyBase64?: string;
  failedAt: number;
}

export interface QStashState {
  messages: StoredMessage[];
  schedules: StoredSchedule[];
  /** deduplication key → the message it produced, until `expiresAt`. */
  dedupe: Record<string, { messageId: string; expiresAt: number }>;
  dlq: DlqEntry[];
}

/** Publish options read from Upstash-* request headers. */
export interface PublishOptions {
  method: string;
  headers: Record<string, string>;
  delayMs?: number;
  notBefore?: number;
  deduplicationId?: string;
  contentBasedDeduplication: boolean;
  retries?: number;
  retryDelayExpression?: string;
  timeoutMs?: number;
  callback?: string;
  failureCallback?: string;
  label?: string;
  cron?: string;
  scheduleId?: string;
}
