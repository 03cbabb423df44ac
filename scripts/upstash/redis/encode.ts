// Redis replies → Upstash REST JSON. With `Upstash-Encoding: base64` every string at every depth
// is base64 except a top-level "OK" (what @upstash/redis decodes: it special-cases "OK" only at
// the top level, and leaves numbers and nulls alone). ioredis does not tell a status reply from
// a bulk string, so a stored value "OK" also comes back plain; the client reads both as "OK".
// Without base64, strings are UTF-8 with invalid bytes replaced by U+FFFD, as Upstash documents.
import type { Reply } from "./client.ts";

export type JsonReply = string | number | null | JsonReply[];

const OK = Buffer.from("OK");

export function toJson(value: Reply, base64: boolean, topLevel = true): JsonReply {
  if (value === null || typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((item) => toJson(item, base64, false));
  const bytes = value instanceof Error ? Buffer.from(value.message) : value;
  if (!base64 || (topLevel && bytes.equals(OK))) return bytes.toString("utf8");
  return bytes.toString("base64");
}

/** One command's outcome in Upstash's shape: `{result}` or `{error}`. */
export function toEntry(value: Reply, base64: boolean): { result: JsonReply } | { error: string } {
  if (value instanceof Error) return { error: value.message };
  return { result: toJson(value, base64) };
}
