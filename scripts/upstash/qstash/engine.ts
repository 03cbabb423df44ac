// The QStash stand-in's core: accepts messages and schedules, and on every tick() fires due
// schedules and attempts due messages (signed), retrying failures with backoff, then DLQ and
// callbacks. Time comes only from `now()`, so tests can drive it with a fake clock.
import { randomBytes } from "node:crypto";
import { callbackPayload } from "./callbacks.ts";
import { parseCron, type Cron } from "./cron.ts";
import { dedupeKey } from "./dedupe.ts";
import { attemptDelivery, type AttemptResult } from "./deliver.ts";
import { defaultBackoffMs, evaluateRetryDelay } from "./retry-delay.ts";
import type { StateWriter } from "./store.ts";
import type { DlqEntry, PublishOptions, QStashState, StoredMessage, StoredSchedule } from "./types.ts";

export interface EngineOptions {
  currentSigningKey: string;
  now: () => number;
  /** Scales every retry delay: 1000 = Upstash's real timing; 1 makes a 12 s backoff 12 ms. */
  retryBaseMs: number;
  defaultRetries: number;
  dedupeWindowMs: number;
  deliveryTimeoutMs: number;
  /** Tests only: fire every schedule each N ms instead of at its cron times (QStash: minutes). */
  scheduleEveryMs?: number;
  log: (line: string) => void;
}

export type EventState = "CREATED" | "ACTIVE" | "DELIVERED" | "RETRY" | "FAILED" | "CANCELLED";

export interface QStashEvent {
  time: number;
  state: EventState;
  messageId: string;
  url: string;
  scheduleId?: string;
  responseStatus?: number;
  error?: string;
  nextDeliveryTime?: number;
}

export interface PublishResult {
  messageId: string;
  url: string;
  deduplicated?: boolean;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString("base64url")}`;

export class QStashEngine {
  readonly messages = new Map<string, StoredMessage>();
  readonly schedules = new Map<string, { schedule: StoredSchedule; cron: Cron | undefined }>();
  readonly dedupe = new Map<string, { messageId: string; expiresAt: number }>();
  readonly dlq: DlqEntry[] = [];
  /** Recent events, newest last (in memory only; what GET /v2/events serves). */
  readonly events: QStashEvent[] = [];
  private readonly delivering = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly options: EngineOptions;
  private writer: StateWriter | undefined;

  constructor(options: EngineOptions, state: QStashState) {
    this.options = options;
    for (const message of state.messages) this.messages.set(message.messageId, message);
    for (const schedule of state.schedules) this.schedules.set(schedule.scheduleId, { schedule, cron: this.tryCron(schedule) });
    for (const [key, entry] of Object.entries(state.dedupe)) this.dedupe.set(key, entry);
    this.dlq.push(...state.dlq);
  }

  attachWriter(writer: StateWriter): void {
    this.writer = writer;
  }

  snapshot(): QStashState {
    return {
      messages: [...this.messages.values()],
      schedules: [...this.schedules.values()].map((s) => s.schedule),
      dedupe: Object.fromEntries(this.dedupe),
      dlq: this.dlq,
    };
  }

  publish(url: string, options: PublishOptions, body: Buffer, callerIp?: string): PublishResult {
    const now = this.options.now();
    this.expireDedupe(now);
    const key = dedupeKey(url, options, body);
    const existing = key === undefined ? undefined : this.dedupe.get(key);
    if (existing) return { messageId: existing.messageId, url, deduplicated: true };
    const message = this.enqueue({
      url,
      method: options.method,
      headers: options.headers,
      body,
      notBefore: options.notBefore ?? now + (options.delayMs ?? 0),
      maxRetries: options.retries ?? this.options.defaultRetries,
      retryDelayExpression: options.retryDelayExpression,
      timeoutMs: options.timeoutMs,
      callback: options.callback,
      failureCallback: options.failureCallback,
      deduplicationId: options.deduplicationId,
      label: options.label,
      callerIp,
      kind: "message",
    });
    if (key !== undefined) this.dedupe.set(key, { messageId: message.messageId, expiresAt: now + this.options.dedupeWindowMs });
    this.writer?.markDirty();
    return { messageId: message.messageId, url };
  }

  upsertSchedule(destination: string, options: PublishOptions, body: Buffer, callerIp?: string): string {
    if (!options.cron) throw new Error("Upstash-Cron header is required");
    const cron = parseCron(options.cron); // throws on a bad expression: the API turns it into a 400
    const now = this.options.now();
    const scheduleId = options.scheduleId ?? newId("scd");
    const previous = this.schedules.get(scheduleId)?.schedule;
    const schedule: StoredSchedule = {
      scheduleId,
      cron: options.cron,
      destination,
      method: options.method,
      headers: options.headers,
      bodyBase64: body.toString("base64"),
      retries: options.retries ?? this.options.defaultRetries,
      delayMs: options.delayMs,
      retryDelayExpression: options.retryDelayExpression,
      timeoutMs: options.timeoutMs,
      callback: options.callback,
      failureCallback: options.failureCallback,
      label: options.label,
      callerIp,
      createdAt: previous?.createdAt ?? now,
      isPaused: false,
      lastScheduleTime: previous?.lastScheduleTime,
      nextScheduleTime: this.nextRun(cron, now),
      lastScheduleStates: previous?.lastScheduleStates,
    };
    this.schedules.set(scheduleId, { schedule, cron });
    this.writer?.markDirty();
    return scheduleId;
  }

  deleteSchedule(id: string): boolean {
    const deleted = this.schedules.delete(id);
    if (deleted) this.writer?.markDirty();
    return deleted;
  }

  setPaused(id: string, paused: boolean): boolean {
    const entry = this.schedules.get(id);
    if (!entry) return false;
    entry.schedule.isPaused = paused;
    // On resume, runs missed while paused are skipped: the next one is computed from now.
    if (!paused) entry.schedule.nextScheduleTime = entry.cron && this.nextRun(entry.cron, this.options.now());
    this.writer?.markDirty();
    return true;
  }

  cancel(id: string): boolean {
    const message = this.messages.get(id);
    if (!message) return false;
    this.messages.delete(id);
    this.record(message, "CANCELLED");
    this.writer?.markDirty();
    return true;
  }

  deleteDlq(id: string): boolean {
    const index = this.dlq.findIndex((e) => e.dlqId === id);
    if (index === -1) return false;
    this.dlq.splice(index, 1);
    this.writer?.markDirty();
    return true;
  }

  /**
   * One scheduler step at now(): fires schedules that are due (a run missed while the server
   * was down fires once, not once per missed slot), then attempts every due message. Resolves
   * when those attempts have finished; retries and callbacks they create are due on later ticks.
   */
  async tick(): Promise<void> {
    if (this.abort.signal.aborted) return;
    const now = this.options.now();
    this.fireSchedules(now);
    this.expireDedupe(now);
    const due = [...this.messages.values()]
      .filter((m) => m.notBefore <= now && !this.delivering.has(m.messageId))
      .sort((a, b) => a.notBefore - b.notBefore);
    await Promise.all(due.map((message) => this.track(this.deliver(message))));
  }

  /** Resolves when no delivery is in flight. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Aborts in-flight deliveries; their messages stay pending (and persisted) for the next start. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.idle();
  }

  hasDueMessages(): boolean {
    const now = this.options.now();
    for (const m of this.messages.values()) if (m.notBefore <= now && !this.delivering.has(m.messageId)) return true;
    return false;
  }

  private enqueue(input: Omit<StoredMessage, "messageId" | "createdAt" | "retried" | "bodyBase64"> & { body: Buffer }): StoredMessage {
    const { body, ...rest } = input;
    const message: StoredMessage = {
      ...rest,
      messageId: newId("msg"),
      bodyBase64: body.toString("base64"),
      createdAt: this.options.now(),
      retried: 0,
    };
    this.messages.set(message.messageId, message);
    this.record(message, "CREATED");
    return message;
  }

  private fireSchedules(now: number): void {
    for (const { schedule, cron } of this.schedules.values()) {
      if (schedule.isPaused || !cron || schedule.nextScheduleTime === undefined || schedule.nextScheduleTime > now) continue;
      const message = this.enqueue({
        url: schedule.destination,
        method: schedule.method,
        headers: schedule.headers,
        body: Buffer.from(schedule.bodyBase64, "base64"),
        notBefore: now + (schedule.delayMs ?? 0),
        maxRetries: schedule.retries,
        retryDelayExpression: schedule.retryDelayExpression,
        timeoutMs: schedule.timeoutMs,
        callback: schedule.callback,
        failureCallback: schedule.failureCallback,
        scheduleId: schedule.scheduleId,
        label: schedule.label,
        callerIp: schedule.callerIp,
        kind: "message",
      });
      schedule.lastScheduleTime = schedule.nextScheduleTime;
      schedule.nextScheduleTime = this.nextRun(cron, now);
      const states = { ...schedule.lastScheduleStates, [message.messageId]: "IN_PROGRESS" as const };
      schedule.lastScheduleStates = Object.fromEntries(Object.entries(states).slice(-10));
      this.writer?.markDirty();
    }
  }

  private async deliver(message: StoredMessage): Promise<void> {
    this.delivering.add(message.messageId);
    this.record(message, "ACTIVE");
    let result: AttemptResult;
    try {
      result = await attemptDelivery(message, {
        signingKey: this.options.currentSigningKey,
        timeoutMs: message.timeoutMs ?? this.options.deliveryTimeoutMs,
        signal: this.abort.signal,
        nowMs: Date.now(),
      });
    } finally {
      this.delivering.delete(message.messageId);
    }
    // Stopped mid-flight, or cancelled while the request was out: leave no trace of this attempt.
    if (this.abort.signal.aborted || this.messages.get(message.messageId) !== message) return;
    const now = this.options.now();
    if (result.ok) {
      this.messages.delete(message.messageId);
      this.record(message, "DELIVERED", { responseStatus: result.status });
      this.setScheduleState(message, "SUCCESS");
      if (message.kind === "message" && message.callback) this.enqueueCallback(message.callback, "callback", message, result);
    } else if (!result.nonRetryable && message.retried < message.maxRetries) {
      const delay = this.retryDelayMs(message, result);
      message.retried += 1;
      message.notBefore = now + delay;
      this.record(message, "RETRY", { responseStatus: result.status, error: result.error, nextDeliveryTime: message.notBefore });
    } else {
      this.messages.delete(message.messageId);
      const dlqId = newId("dlq");
      this.dlq.push({
        dlqId,
        message,
        responseStatus: result.status,
        responseHeaders: result.headers,
        responseBodyBase64: result.body.toString("base64"),
        failedAt: now,
      });
      this.record(message, "FAILED", { responseStatus: result.status, error: result.error });
      this.setScheduleState(message, "FAIL");
      this.options.log(`message ${message.messageId} to ${message.url} failed after ${message.retried + 1} attempt(s); moved to the DLQ as ${dlqId}`);
      if (message.kind === "message" && message.failureCallback) {
        this.enqueueCallback(message.failureCallback, "failure-callback", message, result, dlqId);
      }
    }
    this.writer?.markDirty();
  }

  private retryDelayMs(message: StoredMessage, result: AttemptResult): number {
    const scale = this.options.retryBaseMs / 1000;
    // A destination's Retry-After wins, up to Upstash's one-day cap.
    if (result.retryAfterMs !== undefined && result.retryAfterMs <= 86_400_000) return result.retryAfterMs * scale;
    if (message.retryDelayExpression) {
      try {
        return evaluateRetryDelay(message.retryDelayExpression, message.retried) * scale;
      } catch (error) {
        this.options.log(`${(error as Error).message}; using the default backoff`);
      }
    }
    return defaultBackoffMs(message.retried + 1) * scale;
  }

  // Callbacks are new messages to the callback URL (signed, retried), with QStash's JSON body.
  private enqueueCallback(url: string, kind: "callback" | "failure-callback", source: StoredMessage, result: AttemptResult, dlqId?: string): void {
    this.enqueue({
      url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(callbackPayload(source, result, dlqId))),
      notBefore: this.options.now(),
      maxRetries: this.options.defaultRetries,
      callerIp: source.callerIp,
      kind,
    });
  }

  private setScheduleState(message: StoredMessage, state: "SUCCESS" | "FAIL"): void {
    const schedule = message.scheduleId ? this.schedules.get(message.scheduleId)?.schedule : undefined;
    if (schedule?.lastScheduleStates && message.messageId in schedule.lastScheduleStates) {
      schedule.lastScheduleStates[message.messageId] = state;
    }
  }

  private expireDedupe(now: number): void {
    for (const [key, entry] of this.dedupe) if (entry.expiresAt <= now) this.dedupe.delete(key);
  }

  private record(message: StoredMessage, state: EventState, extra: Partial<QStashEvent> = {}): void {
    this.events.push({ time: this.options.now(), state, messageId: message.messageId, url: message.url, scheduleId: message.scheduleId, ...extra });
    if (this.events.length > 1000) this.events.splice(0, this.events.length - 1000);
  }

  private track(promise: Promise<void>): Promise<void> {
    const tracked = promise.catch((error: Error) => this.options.log(`delivery crashed: ${error.stack ?? error.message}`));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
    return tracked;
  }

  private nextRun(cron: Cron, afterMs: number): number | undefined {
    const every = this.options.scheduleEveryMs;
    return every ? afterMs + every : cron.next(afterMs);
  }

  private tryCron(schedule: StoredSchedule): Cron | undefined {
    try {
      return parseCron(schedule.cron);
    } catch (error) {
      this.options.log(`schedule ${schedule.scheduleId} has an invalid cron and will not fire: ${(error as Error).message}`);
      return undefined;
    }
  }
}
