// Redis replies → Upstash REST JSON. With `Upstash-Encoding: base64` every string at every depth
// is base64 except a top-level "OK" status (what @upstash/redis decodes: it special-cases "OK"
// only at the top level, and leaves numbers and nulls alone). Without it strings are UTF-8, with
// invalid bytes replaced by U+FFFD as Upstash documents.
import { RespError, type RespValue } from "./resp.ts";

export type JsonReply = string | number | null | JsonReply[];

export function toJson(value: RespValue, base64: boolean, topLevel = true): JsonReply {
  if (value === null || typeof value === "number") return value;
  if (value instanceof RespError) return encodeString(Buffer.from(value.message), base64);
  if (Array.isArray(value)) return value.map((item) => toJson(item, base64, false));
  if (typeof value === "string") {
    if (!base64 || (topLevel && value === "OK")) return value;
    return Buffer.from(value).toString("base64");
  }
  return encodeString(value, base64);
}

function encodeString(bytes: Buffer, base64: boolean): string {
  return base64 ? bytes.toString("base64") : bytes.toString("utf8");
}

/** One command's outcome in Upstash's shape: `{result}` or `{error}`. */
export function toEntry(value: RespValue, base64: boolean): { result: JsonReply } | { error: string } {
  if (value instanceof RespError) return { error: value.message };
  return { result: toJson(value, base64) };
}
