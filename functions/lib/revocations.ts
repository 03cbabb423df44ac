// Revoked access, as the limiter reads it in its one Redis round trip, so a removed member's
// still-valid token is refused before it counts against the business's limits:
// - `revoked:{tenant}:{user}` = when the member was deactivated (unix seconds): tokens issued
//   at or before then are refused. Written by the API when it deactivates a member.
// - `revoked-token:{hash}`: a token the database already refused (membership_inactive), e.g.
//   after a deactivation that did not come through the API. Written on that refusal.
// Both expire once every token they could match has expired (tokens live at most 15 minutes).
// Postgres stays the authority (RLS re-checks the membership on every statement): this only
// spares the limits.
import type { Redis } from "@upstash/redis/cloudflare";

const TOKEN_LIFETIME_S = 15 * 60;
const MARGIN_S = 60;

export const revokedMemberKey = (tenantId: string, userId: string) => `revoked:${tenantId}:${userId}`;
export const revokedTokenKey = (tokenHash: string) => `revoked-token:${tokenHash}`;

/** A short, stable digest of the bearer credential (never the credential itself). */
export async function tokenHash(authorization: string | undefined): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(authorization ?? ""));
  return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Issued in the caller's tick, so it shares the limiter's round trip. True when refused. */
export function isRevoked(redis: Redis, tenantId: string, userId: string, hash: string, issuedAt: number): Promise<boolean> {
  return redis.mget<[string | null, string | null]>(revokedMemberKey(tenantId, userId), revokedTokenKey(hash)).then(([since, token]) => {
    return token !== null || (since !== null && issuedAt <= Number(since));
  });
}

export function revokeMember(redis: Redis, tenantId: string, userId: string, now = new Date()): Promise<unknown> {
  return redis.set(revokedMemberKey(tenantId, userId), Math.floor(now.getTime() / 1000), { ex: TOKEN_LIFETIME_S + MARGIN_S });
}

export function revokeToken(redis: Redis, hash: string, expiresAt: number, now = new Date()): Promise<unknown> {
  const ttl = Math.max(1, Math.ceil(expiresAt - now.getTime() / 1000)) + MARGIN_S;
  return redis.set(revokedTokenKey(hash), 1, { ex: ttl });
}

/** A reactivated member's tokens count again (the database admits them again too). */
export function restoreMember(redis: Redis, tenantId: string, userId: string): Promise<unknown> {
  return redis.del(revokedMemberKey(tenantId, userId));
}
