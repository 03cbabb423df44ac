// Deduplication keys: an explicit Upstash-Deduplication-Id, or with
// Upstash-Content-Based-Deduplication a hash of what Upstash hashes (destination, body and the
// forwarded headers including Content-Type; we add the method).
import { createHash } from "node:crypto";
import type { PublishOptions } from "./types.ts";

export function dedupeKey(url: string, options: PublishOptions, body: Buffer): string | undefined {
  if (options.deduplicationId !== undefined) return `id:${options.deduplicationId}`;
  if (!options.contentBasedDeduplication) return undefined;
  const hash = createHash("sha256").update(url).update("\0").update(options.method);
  for (const name of Object.keys(options.headers).sort()) hash.update(`\0${name}:${options.headers[name]}`);
  return `content:${hash.update("\0").update(body).digest("hex")}`;
}
