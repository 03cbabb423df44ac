// Verifying a notification destination (an email address or Telegram chat a member named). The
// code is derived, not stored: HMAC-SHA256 of the tenant and the verification's id under
// NOTIFICATION_VERIFY_SECRET, as 6 digits, so a retried send carries the same code (and the same
// idempotency key) and no code waits in the outbox or in QStash. The database keeps SHA-256 of
// "{id}:{code}"; POST /v1/me/notifications/verify hands the member's code to
// private.verify_destination(), which hashes it the same way and compares the digests in
// constant time, counting the attempt in the same statement.
import type { AppEnv } from "../../../shared/env.ts";
import { derivedMac, sha256Hex } from "../derived-secret.ts";

const mac = derivedMac((env) => env.NOTIFICATION_VERIFY_SECRET, "destination verification is not configured on this server (NOTIFICATION_VERIFY_SECRET)");

/** The 6-digit code sent to the destination of verification `id`. */
export async function verificationCode(env: AppEnv, tenantId: string, id: string): Promise<string> {
  const bytes = await mac(env, `notification-verify:${tenantId}:${id}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // 2^32 mod 10^6 skews some codes by one part in ~4,300: immaterial against 5 attempts.
  return String(view.getUint32(0) % 1_000_000).padStart(6, "0");
}

/** What the database stores: hex SHA-256 of "{id}:{code}". */
export async function codeHash(id: string, code: string): Promise<string> {
  return sha256Hex(`${id}:${code}`);
}
