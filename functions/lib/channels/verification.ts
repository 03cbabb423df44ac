// Verifying a notification destination (an email address or Telegram chat a member named). The
// code is derived, not stored: HMAC-SHA256 of the tenant and the verification's id under
// NOTIFICATION_VERIFY_SECRET, as 6 digits, so a retried send carries the same code (and the same
// idempotency key) and no code waits in the outbox or in QStash. The database keeps SHA-256 of
// "{id}:{code}"; POST /v1/me/notifications/verify hands the member's code to
// private.verify_destination(), which hashes it the same way and compares the digests in
// constant time, counting the attempt in the same statement.
import type { AppEnv } from "../../../shared/env.ts";
import { ApiError } from "../../../shared/errors.ts";

const encoder = new TextEncoder();
let keyCache: { source: string; key: CryptoKey } | undefined;

async function hmacKey(env: AppEnv): Promise<CryptoKey> {
  const source = env.NOTIFICATION_VERIFY_SECRET;
  if (!source) throw new ApiError("unavailable", "destination verification is not configured on this server (NOTIFICATION_VERIFY_SECRET)");
  if (keyCache?.source !== source) {
    keyCache = { source, key: await crypto.subtle.importKey("raw", encoder.encode(source), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]) };
  }
  return keyCache.key;
}

/** The 6-digit code sent to the destination of verification `id`. */
export async function verificationCode(env: AppEnv, tenantId: string, id: string): Promise<string> {
  const mac = new DataView(await crypto.subtle.sign("HMAC", await hmacKey(env), encoder.encode(`notification-verify:${tenantId}:${id}`)));
  // 2^32 mod 10^6 skews some codes by one part in ~4,300: immaterial against 5 attempts.
  return String(mac.getUint32(0) % 1_000_000).padStart(6, "0");
}

/** What the database stores: hex SHA-256 of "{id}:{code}". */
export async function codeHash(id: string, code: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`${id}:${code}`)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
