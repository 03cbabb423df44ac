// JSON shapes of the QStash REST API (what @upstash/qstash's Message/Schedule types describe).
import type { DlqEntry, StoredMessage, StoredSchedule } from "./types.ts";

// QStash returns `body` when it is valid UTF-8 and `bodyBase64` otherwise.
function bodyFields(bodyBase64: string): { body?: string; bodyBase64?: string } {
  if (bodyBase64 === "") return {};
  const bytes = Buffer.from(bodyBase64, "base64");
  const text = bytes.toString("utf8");
  // Invalid UTF-8 decodes to U+FFFD, so a lossless round trip means the body is text.
  return Buffer.from(text).equals(bytes) ? { body: text } : { bodyBase64 };
}

const multi = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));

export function messageView(m: StoredMessage) {
  return {
    messageId: m.messageId,
    url: m.url,
    method: m.method,
    header: multi(m.headers),
    ...bodyFields(m.bodyBase64),
    maxRetries: m.maxRetries,
    retried: m.retried,
    notBefore: m.notBefore,
    createdAt: m.createdAt,
    callback: m.callback,
    failureCallback: m.failureCallback,
    scheduleId: m.scheduleId,
    callerIP: m.callerIp,
    label: m.label,
    retryDelayExpression: m.retryDelayExpression,
  };
}

export function dlqView(entry: DlqEntry) {
  const response = entry.responseBodyBase64 ? bodyFields(entry.responseBodyBase64) : {};
  return {
    ...messageView(entry.message),
    dlqId: entry.dlqId,
    responseStatus: entry.responseStatus,
    responseHeader: entry.responseHeaders,
    responseBody: response.body,
    responseBodyBase64: response.bodyBase64,
  };
}

export function scheduleView(s: StoredSchedule) {
  return {
    scheduleId: s.scheduleId,
    cron: s.cron,
    createdAt: s.createdAt,
    destination: s.destination,
    method: s.method,
    header: multi(s.headers),
    ...bodyFields(s.bodyBase64),
    retries: s.retries,
    delay: s.delayMs === undefined ? undefined : Math.round(s.delayMs / 1000),
    callback: s.callback,
    failureCallback: s.failureCallback,
    callerIP: s.callerIp,
    isPaused: s.isPaused,
    label: s.label,
    retryDelayExpression: s.retryDelayExpression,
    lastScheduleTime: s.lastScheduleTime,
    nextScheduleTime: s.nextScheduleTime,
    lastScheduleStates: s.lastScheduleStates,
  };
}
