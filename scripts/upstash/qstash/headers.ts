// Reads a publish/schedule request's Upstash-* headers into options, validating them the way
// QStash does (a bad header is a 400, not a silently different message).
import type { IncomingHttpHeaders } from "node:http";
import { parseDuration } from "./duration.ts";
import type { PublishOptions } from "./types.ts";

export class BadRequest extends Error {}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const FORWARD = "upstash-forward-";

export function parsePublishHeaders(raw: IncomingHttpHeaders): PublishOptions {
  const get = (name: string): string | undefined => {
    const value = raw[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || !name.startsWith(FORWARD) || name.length === FORWARD.length) continue;
    headers[name.slice(FORWARD.length)] = Array.isArray(value) ? value.join(", ") : value;
  }
  const contentType = get("content-type");
  if (contentType !== undefined) headers["content-type"] = contentType;

  const method = (get("upstash-method") ?? "POST").toUpperCase();
  if (!METHODS.has(method)) throw new BadRequest(`invalid Upstash-Method ${JSON.stringify(method)}`);

  const duration = (name: string): number | undefined => {
    const value = get(name);
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined || ms < 0) throw new BadRequest(`invalid ${name} ${JSON.stringify(value)}: use e.g. 30s, 5m, 2h, 1d`);
    return ms;
  };
  const integer = (name: string): number | undefined => {
    const value = get(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value.trim())) throw new BadRequest(`invalid ${name} ${JSON.stringify(value)}: expected a non-negative integer`);
    return Number(value);
  };
  const url = (name: string): string | undefined => {
    const value = get(name);
    if (value === undefined) return undefined;
    if (!isHttpUrl(value)) throw new BadRequest(`invalid ${name} ${JSON.stringify(value)}: expected an http(s) URL`);
    return value;
  };

  const notBeforeSeconds = integer("upstash-not-before");
  return {
    method,
    headers,
    delayMs: duration("upstash-delay"),
    notBefore: notBeforeSeconds === undefined ? undefined : notBeforeSeconds * 1000,
    deduplicationId: get("upstash-deduplication-id"),
    contentBasedDeduplication: get("upstash-content-based-deduplication")?.toLowerCase() === "true",
    retries: integer("upstash-retries"),
    retryDelayExpression: get("upstash-retry-delay"),
    timeoutMs: duration("upstash-timeout"),
    callback: url("upstash-callback"),
    failureCallback: url("upstash-failure-callback"),
    label: get("upstash-label"),
    cron: get("upstash-cron"),
    scheduleId: get("upstash-schedule-id"),
  };
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
