// The JSON body QStash posts to Upstash-Callback / Upstash-Failure-Callback URLs: the
// destination's answer (status, headers, base64 body) plus the source message.
import type { AttemptResult } from "./deliver.ts";
import type { StoredMessage } from "./types.ts";

export function callbackPayload(source: StoredMessage, result: AttemptResult, dlqId?: string) {
  return {
    status: result.status ?? 0,
    header: result.headers,
    body: result.body.toString("base64"),
    retried: source.retried,
    maxRetries: source.maxRetries,
    sourceMessageId: source.messageId,
    url: source.url,
    method: source.method,
    sourceHeader: Object.fromEntries(Object.entries(source.headers).map(([k, v]) => [k, [v]])),
    sourceBody: source.bodyBase64,
    notBefore: source.notBefore,
    createdAt: source.createdAt,
    scheduleId: source.scheduleId,
    callerIP: source.callerIp,
    ...(dlqId ? { dlqId } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}
